import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { InteractionResults } from "oidc-provider";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { requestContext } from "../http/request-context.js";
import { errorResponses } from "../http/schemas.js";
import type { WebUi } from "../http/web-ui.js";
import type { SessionService, SessionState } from "../sessions/index.js";
import { FIRST_PARTY } from "./client-metadata.js";
import { scopeOf } from "./mount.js";
import { INTERACTION_PATH, loadOidcProvider } from "./provider.js";
import { runInScope } from "./request-scope.js";
import {
  clientIdParams,
  connectedAppsResponse,
  consentBody,
  disconnectedResponse,
  interactionDetailsResponse,
  interactionParams,
  redirectResponse,
} from "./schemas.js";
import type { OidcService } from "./service.js";

export interface OidcRoutesOptions {
  oidc: OidcService;
  sessions: SessionService;
  config: Config;
  webUi: WebUi | undefined;
}

/** Reasons for which a session that already exists is not enough (prompt=login, max_age). */
const FRESH_SIGN_IN_REASONS = new Set(["login_prompt", "max_age"]);

/** How the person signed in: the session's own `amr` when it records one, else an emailed one-time code or link. */
function amrOf(session: SessionState): string[] {
  const recorded = (session as SessionState & { amr?: unknown }).amr;
  return Array.isArray(recorded) && recorded.length > 0 ? (recorded as string[]) : ["otp"];
}

/**
 * The sign-in and consent steps of `/authorize`, as JSON for the web UI. Each call carries
 * oidc-provider's interaction cookie (its path is this interaction's), so a request from
 * another browser, or for another interaction, finds nothing.
 */
export const oidcInteractionRoutes: FastifyPluginAsyncZod<OidcRoutesOptions> = async (
  app,
  { oidc, sessions, config, webUi },
) => {
  const tags = ["sessions"];

  async function withInteraction<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    uid: string,
    task: (
      details: Awaited<ReturnType<Awaited<ReturnType<OidcService["ready"]>>["interactionDetails"]>>,
    ) => Promise<T>,
  ): Promise<T> {
    const provider = await oidc.ready();
    return runInScope(scopeOf(request, sessions, config), async () => {
      let details: Awaited<ReturnType<typeof provider.interactionDetails>>;
      try {
        details = await provider.interactionDetails(request.raw, reply.raw);
      } catch (error) {
        const { errors } = await loadOidcProvider();
        if (error instanceof errors.SessionNotFound) throw new AppError("interaction_not_found");
        throw error;
      }
      if (details.uid !== uid) throw new AppError("interaction_not_found");
      return task(details);
    });
  }

  async function finish(
    request: FastifyRequest,
    reply: FastifyReply,
    result: InteractionResults,
    merge: boolean,
  ) {
    const provider = await oidc.ready();
    const redirectTo = await provider.interactionResult(request.raw, reply.raw, result, {
      mergeWithLastSubmission: merge,
    });
    return { redirect_to: redirectTo };
  }

  app.get(
    `${INTERACTION_PATH}/:uid`,
    { schema: { hide: true, params: interactionParams } },
    async (request, reply) => {
      if (webUi) return webUi.sendPage(reply);
      return reply.send({
        interaction: request.params.uid,
        details: `${INTERACTION_PATH}/${request.params.uid}/details`,
      });
    },
  );

  app.get(
    `${INTERACTION_PATH}/:uid/details`,
    {
      schema: {
        tags,
        summary: "What an authorization request needs from the person: sign-in or consent",
        params: interactionParams,
        response: { 200: interactionDetailsResponse, ...errorResponses(404, 422, 503) },
      },
    },
    async (request, reply) =>
      withInteraction(request, reply, request.params.uid, async (details) => {
        const client = await (await oidc.ready()).Client.find(String(details.params.client_id));
        if (!client) throw new AppError("interaction_not_found");
        const promptName = details.prompt.name === "consent" ? "consent" : "login";
        const missing = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
        const requested = String(details.params.scope ?? "")
          .split(" ")
          .filter(Boolean);
        return {
          uid: details.uid,
          prompt: promptName,
          client: {
            client_id: client.clientId,
            name: client.clientName ?? client.clientId,
            first_party: Boolean(client[FIRST_PARTY]),
          },
          // Consent names what is new; a request that adds nothing (a native app's re-check) names all.
          scopes: promptName === "consent" && missing.length > 0 ? missing : requested,
          fresh_sign_in_required: details.prompt.reasons.some((reason) => FRESH_SIGN_IN_REASONS.has(reason)),
        };
      }),
  );

  app.post(
    `${INTERACTION_PATH}/:uid/login`,
    {
      config: { auth: "required" },
      schema: {
        tags,
        summary: "Continue an authorization request as the signed-in person",
        description:
          "Single sign-on: a Latchkey session is enough, unless the client asked for a fresh sign-in (prompt=login or max_age), which then has to be newer than the request.",
        params: interactionParams,
        response: { 200: redirectResponse, ...errorResponses(401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) =>
      withInteraction(request, reply, request.params.uid, async (details) => {
        const session = request.session as SessionState;
        if (details.prompt.name !== "login") throw new AppError("interaction_mismatch");
        const needsFresh = details.prompt.reasons.some((reason) => FRESH_SIGN_IN_REASONS.has(reason));
        // `iat` has whole seconds: a fresh sign-in starts in a later second (an email round trip takes longer).
        if (needsFresh && session.sessionCreatedAt < (details.iat + 1) * 1000) {
          throw new AppError("fresh_sign_in_required");
        }
        const login = {
          accountId: session.userId,
          ts: Math.floor(session.sessionCreatedAt / 1000),
          amr: amrOf(session),
        };
        return finish(request, reply, { login }, false);
      }),
  );

  app.post(
    `${INTERACTION_PATH}/:uid/consent`,
    {
      config: { auth: "required" },
      schema: {
        tags,
        summary: "Allow or deny a third-party app the requested scopes",
        params: interactionParams,
        body: consentBody,
        response: { 200: redirectResponse, ...errorResponses(401, 403, 404, 409, 415, 422, 503) },
      },
    },
    async (request, reply) =>
      withInteraction(request, reply, request.params.uid, async (details) => {
        const session = request.session as SessionState;
        if (details.prompt.name !== "consent" || details.session?.accountId !== session.userId) {
          throw new AppError("interaction_mismatch");
        }
        if (request.body.decision === "deny") {
          return finish(
            request,
            reply,
            { error: "access_denied", error_description: "The person denied access." },
            false,
          );
        }
        const { Grant } = await oidc.ready();
        const grant =
          (details.grantId ? await Grant.find(details.grantId) : undefined) ??
          new Grant({ accountId: session.userId, clientId: String(details.params.client_id) });
        const missingScopes = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
        const missingClaims = (details.prompt.details.missingOIDCClaims as string[] | undefined) ?? [];
        if (missingScopes.length > 0) grant.addOIDCScope(missingScopes.join(" "));
        if (missingClaims.length > 0) grant.addOIDCClaims(missingClaims);
        const grantId = await grant.save();
        return finish(request, reply, { consent: { grantId } }, true);
      }),
  );
};

/** The dashboard's "Connected apps": which clients hold a grant, and "Disconnect". */
export const connectedAppsRoutes: FastifyPluginAsyncZod<{ oidc: OidcService }> = async (app, { oidc }) => {
  const tags = ["sessions"];
  app.get(
    "/connected-apps",
    {
      config: { auth: "required" },
      schema: {
        tags,
        summary: "Apps signed in through Latchkey's OpenID Provider, with their scopes and last use",
        response: { 200: connectedAppsResponse, ...errorResponses(401, 503) },
      },
    },
    async (request) => {
      const apps = await oidc.listConnectedApps((request.session as SessionState).userId);
      return {
        apps: apps.map((connected) => ({
          client_id: connected.clientId,
          name: connected.name,
          scopes: connected.scopes,
          last_used_at: new Date(connected.lastUsedAt).toISOString(),
        })),
      };
    },
  );

  app.delete(
    "/connected-apps/:client_id",
    {
      config: { auth: "required" },
      schema: {
        tags,
        summary: "Disconnect an app: its grants, codes and tokens for this person stop working at once",
        params: clientIdParams,
        response: { 200: disconnectedResponse, ...errorResponses(401, 403, 404, 422, 503) },
      },
    },
    async (request) => {
      const userId = (request.session as SessionState).userId;
      const isDisconnected = await oidc.disconnectApp(
        userId,
        request.params.client_id,
        requestContext(request),
      );
      if (!isDisconnected) throw new AppError("app_not_connected");
      return { disconnected: true as const };
    },
  );
};
