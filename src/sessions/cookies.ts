import type { FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../config.js";
import type { CookieOptions } from "../http/cookies.js";
import { API_PREFIX } from "../http/paths.js";
import type { IssuedTokens } from "./service.js";

/** Refresh and binding cookies reach only the auth API. */
export const AUTH_API_PATH = API_PREFIX;
const BINDING_MAX_AGE_SECONDS = 30 * 60;

/**
 * `lk_signed_in=1`, readable by the page's script and worth nothing to a thief: it only
 * says "this browser holds a refresh cookie", so a signed-out page load skips /refresh
 * (and its 401). Set and cleared with the refresh cookie, with the same lifetime.
 */
export const SIGNED_IN_HINT_COOKIE = "lk_signed_in";

export type CookieSettings = Config["sessions"];

function baseOptions(settings: CookieSettings): CookieOptions {
  return { httpOnly: true, sameSite: "lax", secure: settings.secureCookies };
}

/**
 * Sets the session cookies; Max-Age never outlives what the server will honour: the access
 * token's life, and for the refresh token the idle timeout or what is left of the
 * absolute lifetime, whichever ends first (every refresh sets it again).
 */
export function setSessionCookies(
  reply: FastifyReply,
  settings: CookieSettings,
  tokens: IssuedTokens,
  now: number,
) {
  const names = settings.cookieNames;
  const options = baseOptions(settings);
  const accessMaxAge = Math.max(1, Math.floor((tokens.accessExpiresAt - now) / 1000));
  reply.setCookie(names.access, tokens.accessToken, { ...options, path: "/", maxAge: accessMaxAge });
  if (tokens.refreshToken !== undefined) {
    const sessionMaxAge = Math.max(
      1,
      Math.min(settings.idleTimeoutSeconds, Math.floor((tokens.sessionExpiresAt - now) / 1000)),
    );
    reply.setCookie(names.refresh, tokens.refreshToken, {
      ...options,
      path: AUTH_API_PATH,
      maxAge: sessionMaxAge,
    });
    reply.setCookie(SIGNED_IN_HINT_COOKIE, "1", {
      ...options,
      httpOnly: false,
      path: "/",
      maxAge: sessionMaxAge,
    });
  }
}

export function clearSessionCookies(reply: FastifyReply, settings: CookieSettings) {
  const names = settings.cookieNames;
  const options = baseOptions(settings);
  reply.clearCookie(names.access, { ...options, path: "/" });
  reply.clearCookie(names.refresh, { ...options, path: AUTH_API_PATH });
  reply.clearCookie(SIGNED_IN_HINT_COOKIE, { ...options, httpOnly: false, path: "/" });
  // Logout rotates the binding value too: the next sign-in gets a fresh one (SECURITY.md 10).
  reply.clearCookie(names.binding, { ...options, path: AUTH_API_PATH });
}

/**
 * Our cookie names the request carries more than once. A sibling subdomain can toss in a
 * cookie of the same name (Domain=.example.com); the cookie parser would take whichever
 * came first, and a tossed refresh cookie would swap the browser into another session.
 */
export function duplicatedAuthCookies(request: FastifyRequest, settings: CookieSettings): string[] {
  const header = request.headers.cookie;
  if (!header) return [];
  const names = Object.values(settings.cookieNames);
  // Runs on every auth request. A name that appears at most once as text cannot name two
  // cookies, which settles almost every request without looking at the pairs.
  if (!names.some((name) => appearsTwice(header, name))) return [];
  const counts = names.map(() => 0);
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(";", start);
    if (end === -1) end = header.length;
    const eq = header.indexOf("=", start);
    const name = header.slice(start, eq === -1 || eq > end ? end : eq).trim();
    const index = names.indexOf(name);
    if (index !== -1) counts[index] = (counts[index] ?? 0) + 1;
    start = end + 1;
  }
  return names.filter((_, index) => (counts[index] ?? 0) > 1);
}

function appearsTwice(text: string, part: string): boolean {
  const first = text.indexOf(part);
  return first !== -1 && text.indexOf(part, first + part.length) !== -1;
}

/** `<random>.<tag>`: passwordless issues the value and checks its MAC tag. */
const BINDING_SHAPE = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;

/** The browser's binding value, if it sent a well-formed one (passwordless checks its MAC). */
export function readBinding(request: FastifyRequest, settings: CookieSettings): string | undefined {
  const value = request.cookies[settings.cookieNames.binding];
  return value && BINDING_SHAPE.test(value) ? value : undefined;
}

export function setBindingCookie(reply: FastifyReply, settings: CookieSettings, value: string) {
  reply.setCookie(settings.cookieNames.binding, value, {
    ...baseOptions(settings),
    path: AUTH_API_PATH,
    maxAge: BINDING_MAX_AGE_SECONDS,
  });
}

export function readRefreshCookie(request: FastifyRequest, settings: CookieSettings): string | undefined {
  return request.cookies[settings.cookieNames.refresh];
}

/** The auth scheme is case-insensitive (RFC 9110 §11.1): `Bearer`, `bearer`, `BEARER`. */
const BEARER = /^bearer /i;

/** The access token from `Authorization: Bearer` or the cookie — never from the URL. */
export function readAccessToken(request: FastifyRequest, settings: CookieSettings): string | undefined {
  const header = request.headers.authorization;
  if (header && BEARER.test(header)) return header.slice(7).trim() || undefined;
  return request.cookies[settings.cookieNames.access];
}

/**
 * Hands a new session to the client: cookies for browsers, or the token pair in the JSON
 * body for a client that asked (`token_delivery: "body"`), which then gets no cookies.
 */
export function deliverTokens(
  reply: FastifyReply,
  settings: CookieSettings,
  { tokens, delivery, now }: { tokens: IssuedTokens; delivery: "cookie" | "body"; now: number },
) {
  if (delivery === "cookie") {
    setSessionCookies(reply, settings, tokens, now);
    return {};
  }
  return {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    token_type: "Bearer" as const,
    expires_in: Math.floor((tokens.accessExpiresAt - now) / 1000),
  };
}
