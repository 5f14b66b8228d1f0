import type { CookieSerializeOptions } from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../config.js";
import type { IssuedTokens } from "./service.js";

/** Refresh and binding cookies reach only the auth API. */
export const AUTH_API_PATH = "/api/auth";
const BINDING_MAX_AGE_SECONDS = 30 * 60;

export type CookieSettings = Config["sessions"];

function baseOptions(settings: CookieSettings): CookieSerializeOptions {
  return { httpOnly: true, sameSite: "lax", secure: settings.secureCookies };
}

/**
 * Cookie names: the seed's `access_token` in development. In production the access
 * cookie is `__Host-access_token` (Path=/, no Domain); the refresh and binding cookies
 * need a narrower path, which `__Host-` forbids, so they use `__Secure-`.
 */
export function cookieNames(settings: CookieSettings) {
  const { access, refresh, binding } = settings.cookieNames;
  return {
    access,
    refresh: refresh.replace(/^__Host-/, "__Secure-"),
    binding: binding.replace(/^__Host-/, "__Secure-"),
  };
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
  const names = cookieNames(settings);
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
  }
}

export function clearSessionCookies(reply: FastifyReply, settings: CookieSettings) {
  const names = cookieNames(settings);
  const options = baseOptions(settings);
  reply.clearCookie(names.access, { ...options, path: "/" });
  reply.clearCookie(names.refresh, { ...options, path: AUTH_API_PATH });
}

const BINDING_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The browser's binding value, if it sent a well-formed one. */
export function readBinding(request: FastifyRequest, settings: CookieSettings): string | undefined {
  const value = request.cookies[cookieNames(settings).binding];
  return value && BINDING_SHAPE.test(value) ? value : undefined;
}

export function setBindingCookie(reply: FastifyReply, settings: CookieSettings, value: string) {
  reply.setCookie(cookieNames(settings).binding, value, {
    ...baseOptions(settings),
    path: AUTH_API_PATH,
    maxAge: BINDING_MAX_AGE_SECONDS,
  });
}

export function readRefreshCookie(request: FastifyRequest, settings: CookieSettings): string | undefined {
  return request.cookies[cookieNames(settings).refresh];
}

/** The access token from `Authorization: Bearer` or the cookie — never from the URL. */
export function readAccessToken(request: FastifyRequest, settings: CookieSettings): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim() || undefined;
  return request.cookies[cookieNames(settings).access];
}
