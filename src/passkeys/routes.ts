import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { API_PREFIX } from "../http/paths.js";
import { requestContext } from "../http/request-context.js";
import { errorResponses } from "../http/schemas.js";
import { deliverTokens } from "../sessions/index.js";
import {
  authenticationOptionsBody,
  authenticationVerifyBody,
  authenticationVerifyResponse,
  ceremonyOptionsResponse,
  passkeyIdParams,
  passkeyListResponse,
  passkeyResponse,
  registrationOptionsBody,
  registrationVerifyBody,
  removedResponse,
  renameBody,
} from "./schemas.js";
import { CEREMONY_TTL_SECONDS, type Ceremony, type PasskeyService } from "./service.js";
import type { Passkey } from "./store.js";

export interface PasskeyRoutesOptions {
  passkeys: PasskeyService;
  config: Config;
  clock: Clock;
}

/** The ceremony cookie reaches only these routes. */
const CEREMONY_PATH = `${API_PREFIX}/passkeys`;

const iso = (milliseconds: number) => new Date(milliseconds).toISOString();

function toPasskeyResponse(passkey: Passkey) {
  return {
    id: passkey.id,
    name: passkey.name,
    created_at: iso(passkey.createdAt),
    last_used_at: passkey.lastUsedAt === null ? null : iso(passkey.lastUsedAt),
    synced: passkey.isBackupEligible,
    backed_up: passkey.isBackedUp,
    aaguid: passkey.aaguid,
    transports: passkey.transports,
  };
}

export const passkeyRoutes: FastifyPluginAsyncZod<PasskeyRoutesOptions> = async (
  app,
  { passkeys, config, clock },
) => {
  const settings = config.sessions;
  const tags = ["passkeys"];
  const cookieName = settings.cookieNames.passkeyCeremony;
  const cookieOptions = {
    httpOnly: true,
    sameSite: "strict",
    secure: settings.secureCookies,
    path: CEREMONY_PATH,
  } as const;
  const ipLimit = { name: "passkey", perMinute: config.limits.verifiesPerIpPerMinute };

  /** Browsers keep the ceremony binding in an httpOnly cookie; other clients get it in the body. */
  function ceremonyReply<T>(ceremony: Ceremony<T>, delivery: "cookie" | "body", reply: FastifyReply) {
    const options = ceremony.options as Record<string, unknown>;
    if (delivery === "body") return { options, ceremony_token: ceremony.binding };
    reply.setCookie(cookieName, ceremony.binding, { ...cookieOptions, maxAge: CEREMONY_TTL_SECONDS });
    return { options };
  }

  const bindingOf = (request: FastifyRequest, fromBody: string | undefined) =>
    fromBody ?? request.cookies[cookieName];

  /**
   * Clears the binding once its ceremony succeeded. A refused verify leaves it: it may be a
   * newer ceremony's (another tab asked for options since), and a used challenge cannot be
   * used again with it anyway.
   */
  function clearBinding(request: FastifyRequest, reply: FastifyReply) {
    if (request.cookies[cookieName] !== undefined) reply.clearCookie(cookieName, cookieOptions);
  }

  app.post(
    "/passkeys/registration/options",
    {
      config: { auth: "required", ipLimit },
      schema: {
        tags,
        summary: "Start adding a passkey to your account",
        body: registrationOptionsBody,
        response: { 200: ceremonyOptionsResponse, ...errorResponses(401, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const ceremony = await passkeys.startRegistration(request.session!);
      return ceremonyReply(ceremony, request.body?.token_delivery ?? "cookie", reply);
    },
  );

  app.post(
    "/passkeys/registration/verify",
    {
      config: { auth: "required", ipLimit },
      schema: {
        tags,
        summary: "Finish adding a passkey",
        description:
          "409 `passkey_already_registered` when the credential is registered already (to anyone).",
        body: registrationVerifyBody,
        response: { 200: passkeyResponse, ...errorResponses(400, 401, 409, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const passkey = await passkeys.finishRegistration(
        request.session!,
        {
          response: request.body.response as RegistrationResponseJSON,
          binding: bindingOf(request, request.body.ceremony_token),
          deviceHint: request.body.name,
        },
        requestContext(request),
      );
      clearBinding(request, reply);
      return toPasskeyResponse(passkey);
    },
  );

  app.post(
    "/passkeys/authentication/options",
    {
      config: { auth: "optional", ipLimit },
      schema: {
        tags,
        summary: "Start signing in with a passkey (or confirming it is you)",
        description: "No email needed: the authenticator offers its passkeys for this site.",
        body: authenticationOptionsBody,
        response: { 200: ceremonyOptionsResponse, ...errorResponses(401, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const isStepUp = request.body?.step_up ?? false;
      if (isStepUp && !request.session) throw new AppError("not_authenticated");
      const ceremony = await passkeys.startAuthentication(isStepUp ? request.session! : undefined);
      return ceremonyReply(ceremony, request.body?.token_delivery ?? "cookie", reply);
    },
  );

  app.post(
    "/passkeys/authentication/verify",
    {
      config: { auth: "optional", ipLimit },
      schema: {
        tags,
        summary: "Finish signing in with a passkey",
        description:
          "Starts a session like an email sign-in, with `amr` `hwk`/`swk` (+ `user`). After a step-up ceremony, refreshes the current session instead. 400 `passkey_unknown` when the passkey is not (or no longer) registered.",
        body: authenticationVerifyBody,
        response: { 200: authenticationVerifyResponse, ...errorResponses(400, 401, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const result = await passkeys.finishAuthentication(
        {
          response: request.body.response as AuthenticationResponseJSON,
          binding: bindingOf(request, request.body.ceremony_token),
          session: request.session,
        },
        requestContext(request),
      );
      clearBinding(request, reply);
      const tokens = deliverTokens(reply, settings, {
        tokens: result.tokens,
        delivery: request.body.token_delivery,
        now: clock.now(),
      });
      return {
        email: result.email,
        user_id: result.userId,
        amr: result.amr,
        step_up: result.isStepUp,
        ...tokens,
      };
    },
  );

  app.get(
    "/passkeys",
    {
      config: { auth: "required" },
      schema: {
        tags,
        summary: "Your passkeys",
        response: { 200: passkeyListResponse, ...errorResponses(401, 503) },
      },
    },
    async (request) => ({
      passkeys: (await passkeys.listPasskeys(request.session!.userId)).map(toPasskeyResponse),
    }),
  );

  app.patch(
    "/passkeys/:id",
    {
      config: { auth: "required" },
      schema: {
        tags,
        summary: "Rename one of your passkeys",
        params: passkeyIdParams,
        body: renameBody,
        response: { 200: passkeyResponse, ...errorResponses(401, 404, 415, 422, 503) },
      },
    },
    async (request) =>
      toPasskeyResponse(await passkeys.rename(request.session!.userId, request.params.id, request.body.name)),
  );

  app.delete(
    "/passkeys/:id",
    {
      config: { auth: "required" },
      schema: {
        tags,
        summary: "Remove one of your passkeys",
        description: "Needs a recent sign-in: 403 `step_up_required` otherwise.",
        params: passkeyIdParams,
        response: { 200: removedResponse, ...errorResponses(401, 403, 404, 422, 503) },
      },
    },
    async (request) => {
      await passkeys.remove(request.session!, request.params.id, requestContext(request));
      return { removed: true as const };
    },
  );
};
