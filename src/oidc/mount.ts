import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import { isAppError } from "../errors.js";
import { pathOf } from "../http/paths.js";
import { requestContext } from "../http/request-context.js";
import { securityHeaders } from "../http/security-headers.js";
import { clientKeyOf } from "../security/client-ip.js";
import { enforceRateLimits, type RateLimitStore } from "../security/rate-limit.js";
import type { SessionService } from "../sessions/index.js";
import { OIDC_ROUTE_PREFIX, PROVIDER_ROUTES } from "./provider.js";
import { memoize, type OidcRequestScope, runInScope } from "./request-scope.js";
import type { OidcService } from "./service.js";
import { plainBearerToken } from "./userinfo.js";

const DISCOVERY_PATH = "/.well-known/openid-configuration";
const AUTHORIZATION_PATH = `${OIDC_ROUTE_PREFIX}/auth`;
/** oidc-provider's router serves the authorization endpoint with or without a trailing slash. */
const AUTHORIZATION_PATHS = new Set([AUTHORIZATION_PATH, `${AUTHORIZATION_PATH}/`]);
const END_SESSION_PATH = `${OIDC_ROUTE_PREFIX}/session/end`;

/**
 * Pages oidc-provider renders (errors, logout, form_post) hold no inline script except the
 * form_post one, whose hash oidc-provider adds to script-src. No form-action: the logout
 * form and form_post must be able to end at the client's registered URI.
 */
const PROVIDER_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'";

const PROVIDER_PATHS = Object.values(PROVIDER_ROUTES);
const PROVIDER_SUBPATH_PREFIXES = PROVIDER_PATHS.map((route) => `${route}/`);

/** The provider's own paths; any other path under /oidc is Fastify's 404 in the usual `{detail, code}`. */
export function isProviderPath(path: string): boolean {
  return (
    path === DISCOVERY_PATH ||
    PROVIDER_PATHS.includes(path) ||
    PROVIDER_SUBPATH_PREFIXES.some((prefix) => path.startsWith(prefix))
  );
}

/** Every provider path starts with one of the two: the hook below settles most requests with this test alone. */
function mayBeProviderUrl(url: string): boolean {
  return url.startsWith(OIDC_ROUTE_PREFIX) || url.startsWith(DISCOVERY_PATH);
}

export interface OidcMountOptions {
  oidc: OidcService;
  sessions: SessionService;
  config: Config;
  limits: RateLimitStore;
  clock: Clock;
}

/** The request's Latchkey session from its cookie only (a Bearer header here is an OpenID access token). */
export function latchkeySessionOf(request: FastifyRequest, sessions: SessionService, config: Config) {
  return memoize(async () => {
    const token = request.cookies[config.sessions.cookieNames.access];
    if (!token) return null;
    try {
      return await sessions.authenticate(token);
    } catch (error) {
      if (isAppError(error) && error.status < 500) return null;
      throw error;
    }
  });
}

export function scopeOf(
  request: FastifyRequest,
  sessions: SessionService,
  config: Config,
  { isBrowserRequest = true, isSignOut = false } = {},
): OidcRequestScope {
  return {
    context: requestContext(request),
    isBrowserRequest,
    latchkeySession: latchkeySessionOf(request, sessions, config),
    findSessionToSignOut: async (sessionId) =>
      isSignOut ? ((await sessions.findLiveSession(sessionId)) ?? null) : null,
    pending: [],
  };
}

/** Paths a browser navigates to; everything else of the provider's is called by the client's server. */
function isFrontChannel(path: string): boolean {
  return path.startsWith(AUTHORIZATION_PATH) || path.startsWith(END_SESSION_PATH);
}

/**
 * oidc-provider is a Koa app: its paths are handed the raw request before Fastify parses a
 * body (the provider reads its own form bodies) and before the cookie-CSRF check (the
 * token endpoint is called cross-site by design; the provider protects its own forms).
 * The Host and proto it sees come from PUBLIC_URL, never from the request, so no URL it
 * builds can be poisoned.
 */
export const oidcMountPlugin = fp(
  async (app: FastifyInstance, { oidc, sessions, config, limits, clock }: OidcMountOptions) => {
    const publicUrl = config.server.publicUrl;
    const headers = securityHeaders({ isProduction: config.isProduction });
    app.addHook("onRequest", async (request, reply) => {
      if (!mayBeProviderUrl(request.url)) return;
      const path = pathOf(request.url);
      if (!isProviderPath(path)) return;
      if (AUTHORIZATION_PATHS.has(path) && config.limits.enabled) {
        const key = `oidc-authorize-ip:${clientKeyOf(request.ip)}`;
        await enforceRateLimits(
          limits,
          [{ key, windowMs: 60_000, limit: config.limits.sendsPerIpPerMinute }],
          clock.now(),
        );
      }
      if (path === PROVIDER_ROUTES.userinfo) {
        const token = plainBearerToken(request);
        const claims = token && (await oidc.directUserinfo(token));
        if (claims) return reply.send(claims);
      }
      const raw = request.raw;
      raw.headers.host = publicUrl.host;
      raw.headers["x-forwarded-host"] = publicUrl.host;
      raw.headers["x-forwarded-proto"] = publicUrl.protocol.slice(0, -1);
      raw.headers["x-forwarded-for"] = request.ip;
      delete raw.headers.forwarded;
      reply.hijack();
      for (const [name, value] of Object.entries(headers)) reply.raw.setHeader(name, value);
      reply.raw.setHeader("content-security-policy", PROVIDER_CONTENT_SECURITY_POLICY);
      reply.raw.setHeader("x-request-id", request.id);
      try {
        const handle = (await oidc.ready()).callback();
        const scope = scopeOf(request, sessions, config, {
          isBrowserRequest: isFrontChannel(path),
          isSignOut: path.startsWith(END_SESSION_PATH),
        });
        await runInScope(scope, () => Promise.resolve(handle(raw, reply.raw)));
      } catch (error) {
        // Once hijacked, Fastify's error handler cannot answer: never leave the request hanging.
        request.log.error({ err: error }, "OpenID Provider request failed");
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { "content-type": "application/json; charset=utf-8" });
          reply.raw.end(
            JSON.stringify({ detail: "Something went wrong on our side.", code: "internal_error" }),
          );
        }
      }
      return reply;
    });
  },
  { name: "oidc-mount" },
);
