import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { requestContext } from "../http/request-context.js";
import { cameThroughTrustedProxy } from "../security/client-ip.js";
import { deliverTokens, setBindingCookie } from "../sessions/index.js";
import {
  approvalDetailsResponse,
  approveLinkBody,
  approveResponse,
  challengeResponse,
  challengeStatusParams,
  challengeStatusResponse,
  completeApprovalBody,
  errorResponses,
  linkBody,
  refuseResponse,
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

const PLACE_PART = /^[\p{L}\p{N} .'-]{1,64}$/u;

/**
 * "City, Country" from the headers a trusted proxy sets (PLACE_CITY_HEADER,
 * PLACE_COUNTRY_HEADER); only what such a proxy gives, never finer, and nothing without one.
 */
function placeOf(
  request: FastifyRequest,
  headers: Config["passwordless"]["placeHeaders"],
): string | undefined {
  if (!cameThroughTrustedProxy(request)) return undefined;
  const parts = [headers.city, headers.country].flatMap((name) => {
    const value = name ? request.headers[name] : undefined;
    return typeof value === "string" && PLACE_PART.test(value.trim()) ? [value.trim()] : [];
  });
  return parts.length > 0 ? parts.join(", ") : undefined;
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
  const { marks } = passwordless;
  const readBinding = (request: FastifyRequest) => marks.readIssuedBinding(request, cookieSettings);
  const resendAfterSeconds = resendAfter(config);
  const tags = ["passwordless"];

  /**
   * Cookies for browsers: the session, a fresh binding value (rotated at every sign-in) and
   * the device cookie that keeps this browser's send quota for the account. The token pair
   * goes in the body only when the client asked for it.
   */
  function signInReply(
    result: SignInResult,
    delivery: "cookie" | "body",
    reply: Parameters<typeof deliverTokens>[0],
  ) {
    const base = {
      email: result.email,
      state: result.state,
      template: result.template,
      passwordless_type: result.passwordlessType,
      is_new_user: result.isNewUser,
    };
    const delivered = deliverTokens(reply, cookieSettings, {
      tokens: result.tokens,
      delivery,
      now: clock.now(),
    });
    if (delivery === "cookie") {
      setBindingCookie(reply, cookieSettings, marks.issueBinding());
      marks.setDeviceCookie(reply, cookieSettings, result.emailHash);
    }
    return { ...base, ...delivered };
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
      // Only a value this server issued is adopted; anything else gets a fresh one (SECURITY.md 10).
      const binding = readBinding(request) ?? marks.issueBinding();
      const emailHash = passwordless.hashEmail(request.body.email);
      const challenge = await passwordless.send(
        {
          email: request.body.email,
          template: request.body.template,
          state: request.body.state ?? null,
          expiresInSeconds: request.body.expires_in,
          magicLinkAuthUri: request.body.magiclink_auth_uri,
          browserBinding: binding,
          knownDeviceId: marks.knownDeviceFor(request, cookieSettings, emailHash),
          place: placeOf(request, config.passwordless.placeHeaders),
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
      const challenge = await passwordless.resend(
        request.body.auth_request_id,
        (emailHash) => marks.knownDeviceFor(request, cookieSettings, emailHash),
        requestContext(request),
      );
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
          browserBinding: readBinding(request),
        },
        requestContext(request),
      );
      return signInReply(result, request.body.token_delivery, reply);
    },
  );

  app.post(
    "/approval-details",
    {
      schema: {
        tags,
        summary: "What the approving device is asked to approve",
        description:
          "The waiting browser's user agent, approximate place and time, and three numbers of which one is shown by the waiting browser. Consumes nothing.",
        body: linkBody,
        response: { 200: approvalDetailsResponse, ...errorResponses(400, 415, 422, 429, 503) },
      },
    },
    async (request) => {
      const details = await passwordless.approvalDetails(
        { linkToken: request.body.link_token, authRequestId: request.body.auth_request_id },
        requestContext(request),
      );
      return {
        choices: details.choices,
        user_agent: details.userAgent,
        place: details.place,
        requested_at: new Date(details.requestedAt).toISOString(),
      };
    },
  );

  app.post(
    "/approve-magic-link",
    {
      schema: {
        tags,
        summary: "Approve the sign-in on the device that started it",
        description:
          "Needs the number the waiting browser shows; a wrong number stops the sign-in (400 `approval_number_mismatch`). Consumes the link for the waiting browser; this device gets no session.",
        body: approveLinkBody,
        response: { 200: approveResponse, ...errorResponses(400, 415, 422, 429, 503) },
      },
    },
    async (request) => {
      const { email } = await passwordless.approveLink(
        {
          linkToken: request.body.link_token,
          authRequestId: request.body.auth_request_id,
          approvalNumber: request.body.approval_number,
        },
        requestContext(request),
      );
      return { approved: true as const, email };
    },
  );

  app.post(
    "/refuse-magic-link",
    {
      schema: {
        tags,
        summary: "This wasn't me: refuse the sign-in",
        description:
          "The waiting browser can no longer be signed in with this request; the refusal is audited.",
        body: linkBody,
        response: { 200: refuseResponse, ...errorResponses(400, 415, 422, 429, 503) },
      },
    },
    async (request) => {
      await passwordless.refuseLink(
        { linkToken: request.body.link_token, authRequestId: request.body.auth_request_id },
        requestContext(request),
      );
      return { refused: true as const };
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
    async (request) => {
      const { status, approvalNumber } = await passwordless.challengeStatus(
        request.params.auth_request_id,
        readBinding(request),
      );
      return { status, approval_number: approvalNumber };
    },
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
        readBinding(request),
        requestContext(request),
      );
      return signInReply(result, request.body.token_delivery, reply);
    },
  );
};
