import type { LightMyRequestResponse } from "fastify";
import { type Browser, createBrowser, signIn, startSignIn, type TestApp } from "../support/harness.js";

/** Session-test helpers on top of the shared harness. */

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A GET with only the given headers: no cookies, no origin (a non-browser client). */
export function getWith(testApp: TestApp, url: string, headers: Record<string, string> = {}) {
  return testApp.app.inject({ method: "GET", url, headers });
}

/** A JSON POST with only the given headers: no cookies, no origin (a non-browser client). */
export function postWith(testApp: TestApp, url: string, body: unknown, headers: Record<string, string> = {}) {
  return testApp.app.inject({
    method: "POST",
    url,
    headers: { "content-type": "application/json", ...headers },
    payload: JSON.stringify(body),
  });
}

export interface BodyTokens {
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
}

/** Signs in as a non-browser client: the token pair comes back in the body. */
export async function signInForTokens(testApp: TestApp, email: string): Promise<BodyTokens> {
  const browser = createBrowser(testApp);
  const { authRequestId, mail } = await startSignIn(testApp, browser, email);
  const response = await postWith(testApp, "/api/auth/verify-otp", {
    code: mail.code,
    auth_request_id: authRequestId,
    token_delivery: "body",
  });
  if (response.statusCode !== 200) throw new Error(`verify failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** The Set-Cookie entry named `name`, if the response set it. */
export function setCookie(response: LightMyRequestResponse, name: string) {
  return response.cookies.find((cookie) => cookie.name === name);
}

/** The raw Set-Cookie header lines. */
export function setCookieLines(response: LightMyRequestResponse): string[] {
  const header = response.headers["set-cookie"];
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [header];
}

/** Audit event types recorded so far, oldest first. */
export async function auditTypes(testApp: TestApp, type?: string): Promise<string[]> {
  let query = testApp.database.db.selectFrom("audit_events").select("type").orderBy("at", "asc");
  if (type) query = query.where("type", "=", type);
  const rows = await query.execute();
  return rows.map((row) => row.type);
}

/** A fresh browser that has signed in as `email`. */
export async function signedInBrowser(testApp: TestApp, email = "alice@example.com"): Promise<Browser> {
  const browser = createBrowser(testApp);
  await signIn(testApp, browser, email);
  return browser;
}

/** The browser's current cookies, copied: what a thief who stole them would hold. */
export function stealCookies(browser: Browser): Record<string, string> {
  return { ...browser.jar };
}

/** A browser holding exactly `cookies`. */
export function browserWith(testApp: TestApp, cookies: Record<string, string>): Browser {
  const browser = createBrowser(testApp);
  Object.assign(browser.jar, cookies);
  return browser;
}
