import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { z } from "zod";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { requestContext } from "../http/request-context.js";
import { errorResponses } from "../http/schemas.js";
import { deepFreeze } from "../http/serializer.js";
import { clearSessionCookies, readRefreshCookie, setSessionCookies } from "./cookies.js";
import {
  logoutAllBody,
  logoutAllResponse,
  logoutResponse,
  protectedResponse,
  refreshBody,
  refreshResponse,
  refreshSecurity,
  revokedResponse,
  sessionIdParams,
  sessionListResponse,
  sessionResponse,
} from "./schemas.js";
import type { SessionService } from "./service.js";
import type { SessionState } from "./session-cache.js";

export interface SessionRoutesOptions {
  sessions: SessionService;
  config: Config;
  clock: Clock;
}

const iso = (milliseconds: number) => new Date(milliseconds).toISOString();

/**
 * `/session` is the hottest route: a cached session state (one object, reused for about
 * a second) gets its answer built once, frozen so the serializer writes it once too.
 */
type SignedInBody = Extract<z.infer<typeof sessionResponse>, { user_id: string }>;
const sessionBodies = new WeakMap<SessionState, SignedInBody>();

const SIGNED_OUT_BODY = deepFreeze({ email: null });

function sessionBody(session: SessionState): SignedInBody {
  let body = sessionBodies.get(session);
  if (!body) {
    body = deepFreeze({
      email: session.email,
      user_id: session.userId,
      session_id: session.sessionId,
      user_created_at: iso(session.userCreatedAt),
      signed_in_at: iso(session.sessionCreatedAt),
      amr: [...session.amr],
    });
    sessionBodies.set(session, body);
  }
  return body;
}

export const sessionRoutes: FastifyPluginAsyncZod<SessionRoutesOptions> = async (
  app,
  { sessions, config, clock },
) => {
  const settings = config.sessions;
  const tags = ["sessions"];

  app.get(
    "/session",
    {
      config: { auth: "optional" },
      schema: {
        tags,
        summary: "Who is signed in",
        response: { 200: sessionResponse, ...errorResponses(503) },
      },
    },
    async (request) => {
      return request.session ? sessionBody(request.session) : SIGNED_OUT_BODY;
    },
  );

  app.get(
    "/protected",
    {
      config: { auth: "required" },
      schema: {
        tags,
        summary: "An example protected route",
        response: { 200: protectedResponse, ...errorResponses(401, 503) },
      },
    },
    async (request) => ({ email: request.session?.email ?? "", message: "Protected content" as const }),
  );

  app.post(
    "/refresh",
    {
      // Refresh is not bound to one email, so its only limit is per client IP (SECURITY.md 34).
      config: { ipLimit: { name: "refresh", perMinute: config.limits.refreshesPerIpPerMinute } },
      schema: {
        tags,
        summary: "Rotate the refresh token and get a new access token",
        description:
          "Browsers send the refresh cookie; other clients send `refresh_token` in the body and get the new pair in the body. Reusing an old refresh token ends the session.",
        body: refreshBody,
        security: refreshSecurity,
        response: { 200: refreshResponse, ...errorResponses(401, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const fromBody = request.body?.refresh_token;
      const token = fromBody ?? readRefreshCookie(request, settings);
      if (!token) throw new AppError("invalid_refresh_token");
      let tokens: Awaited<ReturnType<SessionService["refresh"]>>;
      try {
        tokens = await sessions.refresh(token, requestContext(request));
      } catch (error) {
        if (!fromBody && error instanceof AppError && error.code === "invalid_refresh_token") {
          clearSessionCookies(reply, settings);
        }
        throw error;
      }
      const expiresIn = Math.floor((tokens.accessExpiresAt - clock.now()) / 1000);
      if (fromBody) {
        return {
          expires_in: expiresIn,
          access_token: tokens.accessToken,
          refresh_token: tokens.refreshToken,
          token_type: "Bearer" as const,
        };
      }
      setSessionCookies(reply, settings, tokens, clock.now());
      return { expires_in: expiresIn };
    },
  );

  app.post(
    "/logout",
    {
      config: { auth: "optional" },
      schema: {
        tags,
        summary: "End this session",
        response: { 200: logoutResponse, ...errorResponses(503) },
      },
    },
    async (request, reply) => {
      const context = requestContext(request);
      if (request.session) {
        await sessions.revokeSession(request.session.userId, request.session.sessionId, context, "logout");
      } else {
        const refreshToken = readRefreshCookie(request, settings);
        if (refreshToken) await sessions.revokeByRefreshToken(refreshToken, context);
      }
      clearSessionCookies(reply, settings);
      return { message: "Logged out" as const };
    },
  );

  app.post(
    "/logout-all",
    {
      config: { auth: "required" },
      schema: {
        tags,
        summary: "End every session, or every other one",
        description: "Needs a recent sign-in (403 `step_up_required` otherwise).",
        body: logoutAllBody,
        response: { 200: logoutAllResponse, ...errorResponses(401, 403, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const session = request.session!;
      sessions.assertRecentAuthentication(session, config.stepUpMaxAgeSeconds);
      const keepCurrent = request.body?.keep_current ?? false;
      const revoked = await sessions.revokeAllSessions(
        session.userId,
        requestContext(request),
        keepCurrent ? session.sessionId : undefined,
      );
      if (!keepCurrent) clearSessionCookies(reply, settings);
      return { revoked };
    },
  );

  app.get(
    "/sessions",
    {
      config: { auth: "required" },
      schema: {
        tags,
        summary: "Your live sessions",
        response: { 200: sessionListResponse, ...errorResponses(401, 503) },
      },
    },
    async (request) => {
      const current = request.session!;
      const list = await sessions.listSessions(current.userId);
      return {
        sessions: list.map((session) => ({
          id: session.id,
          created_at: iso(session.createdAt),
          last_used_at: iso(session.lastUsedAt),
          expires_at: iso(session.expiresAt),
          ip: session.ip,
          user_agent: session.userAgent,
          current: session.id === current.sessionId,
        })),
      };
    },
  );

  app.delete(
    "/sessions/:id",
    {
      config: { auth: "required" },
      schema: {
        tags,
        summary: "End one of your sessions",
        params: sessionIdParams,
        response: { 200: revokedResponse, ...errorResponses(401, 404, 422, 503) },
      },
    },
    async (request, reply) => {
      const current = request.session!;
      const isRevoked = await sessions.revokeSession(
        current.userId,
        request.params.id,
        requestContext(request),
      );
      if (!isRevoked) throw new AppError("session_not_found");
      if (request.params.id === current.sessionId) clearSessionCookies(reply, settings);
      return { revoked: true as const };
    },
  );
};
