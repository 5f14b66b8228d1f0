import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { AppError, isAppError } from "../errors.js";
import {
  type CookieSettings,
  clearSessionCookies,
  duplicatedAuthCookies,
  readAccessToken,
  readRefreshCookie,
} from "./cookies.js";
import type { SessionService } from "./service.js";
import type { SessionState } from "./session-cache.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in user's session, on routes whose config asks for `auth`. */
    session: SessionState | null;
  }
  interface FastifyContextConfig {
    /** `required`: 401 without a live session. `optional`: `request.session` may be null. */
    auth?: "required" | "optional";
  }
}

/** The one place a request becomes a signed-in user: access token → live session. */
async function resolveSession(request: FastifyRequest, sessions: SessionService, settings: CookieSettings) {
  const token = readAccessToken(request, settings);
  if (!token) return null;
  return sessions.authenticate(token);
}

export const currentUserPlugin = fp(
  async (
    app: FastifyInstance,
    { sessions, settings }: { sessions: SessionService; settings: CookieSettings },
  ) => {
    app.decorateRequest("session", null);
    app.addHook("preHandler", async (request) => {
      const mode = request.routeOptions.config?.auth;
      if (!mode) return;
      if (mode === "required") {
        const session = await resolveSession(request, sessions, settings);
        // The access cookie's Max-Age ran out and the browser dropped it, but the refresh
        // cookie is still here: `token_expired` tells the client to refresh and retry.
        if (!session && readRefreshCookie(request, settings)) throw new AppError("token_expired");
        if (!session) throw new AppError("not_authenticated");
        request.session = session;
        return;
      }
      try {
        request.session = await resolveSession(request, sessions, settings);
      } catch (error) {
        // An invalid or expired token on an optional route means "signed out"; anything
        // else (the database is down) must fail closed, not read as signed out.
        if (!isAppError(error) || error.status >= 500) throw error;
        request.session = null;
      }
    });
  },
  { name: "current-user", dependencies: ["cookies"] },
);

/**
 * Two cookies of one name: which one is ours cannot be known, so neither is used, on every
 * path whose handlers read the sign-in cookies (`paths`, prefixes: the auth API and the
 * OpenID Provider's endpoints and pages). Register it before anything that answers those
 * paths itself.
 */
export const duplicateCookieGuard = fp(
  async (
    app: FastifyInstance,
    { settings, paths }: { settings: CookieSettings; paths: readonly string[] },
  ) => {
    app.addHook("onRequest", async (request, reply) => {
      if (!paths.some((path) => request.url.startsWith(path))) return;
      if (duplicatedAuthCookies(request, settings).length === 0) return;
      clearSessionCookies(reply, settings);
      throw new AppError("duplicate_cookie");
    });
  },
  { name: "duplicate-cookie-guard", dependencies: ["cookies"] },
);
