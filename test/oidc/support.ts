import { createHash } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import type { NewClient } from "../../src/oidc/index.js";
import { randomToken } from "../../src/security/crypto.js";
import {
  type Browser,
  cookieHeader,
  createBrowser,
  createTestApp,
  PUBLIC_URL,
  signIn,
  type TestApp,
  type TestAppOptions,
} from "../support/harness.js";

export const REDIRECT_URI = "https://app.example/callback";
export const POST_LOGOUT_URI = "https://app.example/signed-out";

/** An app whose clock is the real one: oidc-provider keeps time with Date.now(). */
export function createOidcTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  return createTestApp({ clockStart: Date.now(), ...options });
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string;
}

export async function registerClient(
  testApp: TestApp,
  overrides: Partial<NewClient> = {},
): Promise<RegisteredClient> {
  const added = await testApp.services.oidc.clients.add({
    name: "Acme Docs",
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: [POST_LOGOUT_URI],
    isPublic: false,
    isFirstParty: true,
    ...overrides,
  });
  return {
    clientId: added.client.id,
    clientSecret: added.clientSecret,
    redirectUri: added.client.redirectUris[0] ?? "",
  };
}

export function pkcePair() {
  const verifier = randomToken(32);
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function authorizeUrl(client: RegisteredClient, params: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    client_id: client.clientId,
    response_type: "code",
    redirect_uri: client.redirectUri,
    scope: "openid email",
    state: "state-123",
    nonce: "nonce-456",
    ...params,
  });
  return `/oidc/auth?${query}`;
}

/** The path (and query) of a URL on the Latchkey origin, for `inject`. */
export function pathOf(url: string): string {
  const parsed = new URL(url, "http://localhost:8000");
  return `${parsed.pathname}${parsed.search}`;
}

export function locationOf(response: LightMyRequestResponse): string {
  const location = response.headers.location;
  if (typeof location !== "string") throw new Error(`no redirect: ${response.statusCode} ${response.body}`);
  return location;
}

export function interactionUidOf(location: string): string {
  const match = /\/interaction\/([A-Za-z0-9_-]+)$/.exec(new URL(location, "http://localhost:8000").pathname);
  if (!match?.[1]) throw new Error(`not an interaction: ${location}`);
  return match[1];
}

export interface AuthorizeOptions {
  email?: string;
  decision?: "allow" | "deny";
  /** How the person signs in at the login step; default an emailed code to `email`. */
  signInWith?: (browser: Browser) => Promise<unknown>;
}

/**
 * Runs `/authorize` in `browser` until it leaves for the client: signs in at the login
 * step (by email code, or `signInWith`, unless the browser is signed in already) and
 * answers consent with `decision`. Returns the final redirect to the client.
 */
export async function authorize(
  testApp: TestApp,
  browser: Browser,
  url: string,
  { email = "ada@example.com", decision = "allow", signInWith }: AuthorizeOptions = {},
): Promise<URL> {
  let response = await browser.get(url);
  for (let step = 0; step < 6; step++) {
    expect([302, 303]).toContain(response.statusCode);
    const location = locationOf(response);
    if (!location.includes("/interaction/")) return new URL(location, "http://localhost:8000");
    const uid = interactionUidOf(location);
    const details = await browser.get(`/interaction/${uid}/details`);
    expect(details.statusCode).toBe(200);
    let next: LightMyRequestResponse;
    if (details.json().prompt === "login") {
      const session = await browser.get("/api/auth/session");
      if (session.json().email === null || details.json().fresh_sign_in_required)
        await (signInWith ? signInWith(browser) : signIn(testApp, browser, email));
      next = await browser.post(`/interaction/${uid}/login`);
    } else {
      next = await browser.post(`/interaction/${uid}/consent`, { decision });
    }
    expect(next.statusCode, next.body).toBe(200);
    response = await browser.get(pathOf(next.json().redirect_to));
  }
  throw new Error("authorization did not finish");
}

export function basicAuth(client: RegisteredClient): string {
  const encode = (value: string) => encodeURIComponent(value);
  return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret ?? "")}`).toString("base64")}`;
}

/** A back-channel call from the client's server: form body, client_secret_basic unless told otherwise. */
export function tokenRequest(
  testApp: TestApp,
  client: RegisteredClient,
  body: Record<string, string>,
  { path = "/oidc/token", authenticate = true }: { path?: string; authenticate?: boolean } = {},
) {
  return testApp.app.inject({
    method: "POST",
    url: path,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(authenticate && client.clientSecret ? { authorization: basicAuth(client) } : {}),
    },
    payload: new URLSearchParams(
      authenticate && client.clientSecret ? body : { client_id: client.clientId, ...body },
    ).toString(),
  });
}

/** Code flow to tokens: authorize in `browser`, then exchange the code with PKCE. */
export async function signInThroughClient(
  testApp: TestApp,
  browser: Browser,
  client: RegisteredClient,
  {
    scope = "openid email offline_access",
    email = "ada@example.com",
    signInWith,
  }: { scope?: string; email?: string; signInWith?: AuthorizeOptions["signInWith"] } = {},
) {
  const pkce = pkcePair();
  const callback = await authorize(
    testApp,
    browser,
    authorizeUrl(client, {
      scope,
      code_challenge: pkce.challenge,
      code_challenge_method: "S256",
      ...(scope.includes("offline_access") ? { prompt: "consent" } : {}),
    }),
    { email, signInWith },
  );
  const code = callback.searchParams.get("code");
  if (!code) throw new Error(`no code: ${callback}`);
  const response = await tokenRequest(testApp, client, {
    grant_type: "authorization_code",
    code,
    redirect_uri: client.redirectUri,
    code_verifier: pkce.verifier,
  });
  expect(response.statusCode, response.body).toBe(200);
  return { code, pkce, tokens: response.json() as Record<string, string> };
}

export function newBrowser(testApp: TestApp): Browser {
  return createBrowser(testApp);
}

/** A fresh app with a registered first-party confidential client ("Acme Docs"). */
export async function createOidcAppWithClient(): Promise<{ testApp: TestApp; client: RegisteredClient }> {
  const testApp = await createOidcTestApp();
  return { testApp, client: await registerClient(testApp) };
}

/** The browser navigates to `/oidc/session/end` with these parameters (the app linked it there). */
export function endSession(browser: Browser, params: Record<string, string> = {}) {
  return browser.get(`/oidc/session/end?${new URLSearchParams(params)}`, { accept: "text/html" });
}

/**
 * Submits the logout confirmation page's form as its buttons do: "Sign out" sends
 * `logout=yes`, "Cancel" sends only the xsrf value. Returns the provider's answer.
 */
export function submitLogoutForm(
  testApp: TestApp,
  browser: Browser,
  page: LightMyRequestResponse,
  { confirm = true }: { confirm?: boolean } = {},
) {
  const action = /action="([^"]+)"/.exec(page.body)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!action || !xsrf) throw new Error(`not a logout form: ${page.statusCode} ${page.body}`);
  return testApp.app.inject({
    method: "POST",
    url: pathOf(action),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: cookieHeader(browser.jar),
      origin: PUBLIC_URL,
    },
    payload: new URLSearchParams({ xsrf, ...(confirm ? { logout: "yes" } : {}) }).toString(),
  });
}
