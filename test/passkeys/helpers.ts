import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { type Browser, PUBLIC_URL, type TestApp } from "../support/harness.js";
import {
  type CeremonyOverrides,
  createSoftAuthenticator,
  type SoftAuthenticatorOptions,
} from "../support/soft-authenticator.js";

/** Passkey-test helpers on top of the shared harness and the software authenticator. */

export const PASSKEYS = "/api/auth/passkeys";

export function createAuthenticator(options: Partial<SoftAuthenticatorOptions> = {}) {
  return createSoftAuthenticator({ origin: PUBLIC_URL, ...options });
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

type Json = Record<string, unknown>;

export async function registrationOptions(browser: Browser): Promise<Json> {
  const response = await browser.post(`${PASSKEYS}/registration/options`, {});
  expect(response.statusCode, response.body).toBe(200);
  return response.json().options;
}

/** Adds a passkey in a signed-in browser; returns the verify response. */
export async function addPasskey(
  browser: Browser,
  authenticator: Authenticator,
  overrides: CeremonyOverrides = {},
  name = "Chrome on Linux",
): Promise<LightMyRequestResponse> {
  const options = await registrationOptions(browser);
  return browser.post(`${PASSKEYS}/registration/verify`, {
    response: authenticator.register(options, overrides),
    name,
  });
}

export async function authenticationOptions(browser: Browser, body: Json = {}): Promise<Json> {
  const response = await browser.post(`${PASSKEYS}/authentication/options`, body);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().options;
}

/** A whole passkey sign-in (or step-up, with `{step_up: true}`) in `browser`. */
export async function signInWithPasskey(
  browser: Browser,
  authenticator: Authenticator,
  overrides: CeremonyOverrides = {},
  body: Json = {},
): Promise<LightMyRequestResponse> {
  const options = await authenticationOptions(browser, body);
  return verifyAuthentication(browser, authenticator, options, overrides);
}

/** The verify of the ceremony `options` came from, answered by `authenticator`. */
export function verifyAuthentication(
  browser: Browser,
  authenticator: Authenticator,
  options: Json,
  overrides: CeremonyOverrides = {},
): Promise<LightMyRequestResponse> {
  return browser.post(`${PASSKEYS}/authentication/verify`, {
    response: authenticator.authenticate(options, overrides),
  });
}

/** The claims of the access-token cookie the browser holds. */
export function accessClaims(browser: Browser): Json {
  const token = browser.jar.access_token;
  if (!token) throw new Error("no access token cookie");
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
}

export async function auditEvents(testApp: TestApp, type: string) {
  return testApp.database.db
    .selectFrom("audit_events")
    .selectAll()
    .where("type", "=", type)
    .orderBy("at", "asc")
    .execute();
}

export function expectError(response: LightMyRequestResponse, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json().code).toBe(code);
}
