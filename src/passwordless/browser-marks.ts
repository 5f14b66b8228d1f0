import type { FastifyReply, FastifyRequest } from "fastify";
import { constantTimeEqual, keyedHash, randomToken } from "../security/crypto.js";
import { AUTH_API_PATH, type CookieSettings, readBinding } from "../sessions/index.js";

/**
 * Two server-issued marks a browser carries, each `<random>.<tag>` with the tag an HMAC
 * under the binding key, so a value the server did not issue is never adopted (cookie
 * tossing from a sibling subdomain, SECURITY.md 10):
 * - the binding value ties a sign-in to the browser that asked (same-browser links,
 *   per-browser send limits); it is replaced at sign-in and cleared at logout;
 * - the device mark says "this browser signed in to this account before"; it lives long
 *   and buys the browser a send quota strangers cannot use up (SECURITY.md 14).
 * The purposes are kept apart by a prefix inside the MAC.
 */

const MARK_SHAPE = /^([A-Za-z0-9_-]{22,43})\.([A-Za-z0-9_-]{43})$/;
const DEVICE_MAX_AGE_SECONDS = 400 * 86_400;

function tagOf(key: Buffer, purpose: string, random: string): string {
  return keyedHash(key, `${purpose}:${random}`);
}

function verifiedRandom(key: Buffer, purpose: string, value: string | undefined): string | undefined {
  const match = value ? MARK_SHAPE.exec(value) : null;
  if (!match?.[1] || !match[2]) return undefined;
  return constantTimeEqual(match[2], tagOf(key, purpose, match[1])) ? match[1] : undefined;
}

function cookieOptions(settings: CookieSettings, maxAge: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: settings.secureCookies,
    path: AUTH_API_PATH,
    maxAge,
  };
}

export function createBrowserMarks(key: Buffer) {
  /** A fresh binding value; only these are ever accepted back. */
  function issueBinding(): string {
    const random = randomToken(32);
    return `${random}.${tagOf(key, "binding", random)}`;
  }

  /** The binding value the browser sent, if the server issued it. */
  function readIssuedBinding(request: FastifyRequest, settings: CookieSettings): string | undefined {
    const value = readBinding(request, settings);
    return verifiedRandom(key, "binding", value) === undefined ? undefined : value;
  }

  /** The device cookie for an account, tied to it by the MAC (its email's keyed hash). */
  function setDeviceCookie(reply: FastifyReply, settings: CookieSettings, emailHash: string) {
    const random = randomToken(16);
    const value = `${random}.${tagOf(key, `device:${emailHash}`, random)}`;
    reply.setCookie(settings.cookieNames.device, value, cookieOptions(settings, DEVICE_MAX_AGE_SECONDS));
  }

  /** The device's id when the browser holds a device cookie issued for this email's account. */
  function knownDeviceFor(request: FastifyRequest, settings: CookieSettings, emailHash: string) {
    return verifiedRandom(key, `device:${emailHash}`, request.cookies[settings.cookieNames.device]);
  }

  return { issueBinding, readIssuedBinding, setDeviceCookie, knownDeviceFor };
}

export type BrowserMarks = ReturnType<typeof createBrowserMarks>;
