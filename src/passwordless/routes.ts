import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { requestContext } from "../http/request-context.js";
import { randomToken } from "../security/crypto.js";
import { readBinding, setBindingCookie, setSessionCookies } from "../sessions/index.js";
import {
  approveLinkBody,
  approveResponse,
  challengeResponse,
  challengeStatusParams,
  challengeStatusResponse,
  completeApprovalBody,
  errorResponses,
  resendBody,
  sendBody,
  signInResponse,
  verifyLinkBody,
  verifyOtpBody,
} from "./schemas.js";
import type { IssuedChallenge, PasswordlessService, SignInResult } from "./service.js";

export interface PasswordlessRoutesOptions {
  passwordless: PasswordlessService;
  config: Config;
  clock: Clock;
}

function toChallengeResponse(challenge: IssuedChallenge) {
  return {
    auth_request_id: challenge.authRequestId,
    expires_at: Math.floor(challenge.expiresAt / 1000),
    expires_in: challenge.expiresInSeconds,
    passwordless_type: challenge.passwordlessType,
  };
}

/** Seconds until the next send is allowed; the same for every address, so it reveals nothing. */
function resendAfter(config: Config): string {
  return String(config.limits.enabled ? config.limits.sendCooldownSeconds : 0);
}

export const passwordlessRoutes: FastifyPluginAsyncZod<PasswordlessRoutesOptions> = async (
  app,
  { passwordless, config, clock },
) => {
  const cookieSettings = config.sessions;
  const resendAfterSeconds = resendAfter(config);
  const tags = ["passwordless"];

  /** Cookies for browsers; the token pair in the body only when the client asked for it. */
  function signInReply(
    result: SignInResult,
    delivery: "cookie" | "body",
    reply: Parameters<typeof setSessionCookies>[0],
  ) {
    const base = {
      email: result.email,
      state: result.state,
      template: result.template,
      passwordless_type: result.passwordlessType,
      is_new_user: result.isNewUser,
    };
    if (delivery === "body") {
      return {
        ...base,
        access_token: result.tokens.accessToken,
        refresh_token: result.tokens.refreshToken,
        token_type: "Bearer" as const,
        expires_in: Math.floor((result.tokens.accessExpiresAt - clock.now()) / 1000),
      };
    }
    setSessionCookies(reply, cookieSettings, result.tokens, clock.now());
    return base;
  }

  app.post(
    "/send-passwordless",
    {
      config: { auth: "optional" },
      schema: {
        tags,
        summary: "Email a one-time code and magic link",
        description:
          "Answers the same for every address, known or not. Sets the same-browser binding cookie. 409 when already signed in.",
        body: sendBody,
        response: { 200: challengeResponse, ...errorResponses(400, 409, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      if (request.session) throw new AppError("already_authenticated");
      const binding = readBinding(request, cookieSettings) ?? randomToken(32);
      const challenge = await passwordless.send(
        {
          email: request.body.email,
          template: request.body.template,
          state: request.body.state ?? null,
          expiresInSeconds: request.body.expires_in,
          magicLinkAuthUri: request.body.magiclink_auth_uri,
          browserBinding: binding,
        },
        requestContext(request),
      );
      setBindingCookie(reply, cookieSettings, binding);
      reply.header("x-resend-after", resendAfterSeconds);
      return toChallengeResponse(challenge);
    },
  );

  app.post(
    "/resend-passwordless",
    {
      schema: {
        tags,
        summary: "Send a new code and link for the same sign-in",
        description: "The old code and link die; the attempt count and the expiry are kept.",
        body: resendBody,
        response: { 200: challengeResponse, ...errorResponses(400, 404, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const challenge = await passwordless.resend(request.body.auth_request_id, requestContext(request));
      reply.header("x-resend-after", resendAfterSeconds);
      return toChallengeResponse(challenge);
    },
  );

  app.post(
    "/verify-otp",
    {
      schema: {
        tags,
        summary: "Sign in with the emailed code",
        body: verifyOtpBody(config.passwordless.otpLength),
        response: { 200: signInResponse, ...errorResponses(400, 403, 404, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const result = await passwordless.verifyCode(
        { authRequestId: request.body.auth_request_id, code: request.body.code },
        requestContext(request),
      );
      return signInReply(result, request.body.token_delivery, reply);
    },
  );

  app.post(
    "/verify-magic-link",
    {
      schema: {
        tags,
        summary: "Sign in with the magic link's token",
        description:
          "In the browser that started the sign-in, signs in at once. Elsewhere answers 409 `confirmation_required` without consuming the link; POST again with `confirm: true` after the person clicks.",
        body: verifyLinkBody,
        response: { 200: signInResponse, ...errorResponses(400, 403, 409, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const result = await passwordless.verifyLink(
        {
          linkToken: request.body.link_token,
          authRequestId: request.body.auth_request_id,
          confirm: request.body.confirm,
          browserBinding: readBinding(request, cookieSettings),
        },
        requestContext(request),
      );
      return signInReply(result, request.body.token_delivery, reply);
    },
  );

  app.post(
    "/approve-magic-link",
    {
      schema: {
        tags,
        summary: "Approve the sign-in on the device that started it",
        description: "Consumes the link for the waiting browser; this device gets no session.",
        body: approveLinkBody,
        response: { 200: approveResponse, ...errorResponses(400, 415, 422, 429, 503) },
      },
    },
    async (request) => {
      const { email } = await passwordless.approveLink(
        { linkToken: request.body.link_token, authRequestId: request.body.auth_request_id },
        requestContext(request),
      );
      return { approved: true as const, email };
    },
  );

  app.get(
    "/auth-requests/:auth_request_id",
    {
      schema: {
        tags,
        summary: "The state of a sign-in, for the browser that started it",
        params: challengeStatusParams,
        response: { 200: challengeStatusResponse, ...errorResponses(404, 422, 503) },
      },
    },
    async (request) => ({
      status: await passwordless.challengeStatus(
        request.params.auth_request_id,
        readBinding(request, cookieSettings),
      ),
    }),
  );

  app.post(
    "/complete-approval",
    {
      schema: {
        tags,
        summary: "Sign in the waiting browser after another device approved",
        body: completeApprovalBody,
        response: { 200: signInResponse, ...errorResponses(400, 404, 409, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const result = await passwordless.completeApproval(
        request.body.auth_request_id,
        readBinding(request, cookieSettings),
        requestContext(request),
      );
      return signInReply(result, request.body.token_delivery, reply);
    },
  );
};
