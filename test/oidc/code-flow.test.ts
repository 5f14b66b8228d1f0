import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addPasskey, createAuthenticator, signInWithPasskey } from "../passkeys/helpers.js";
import { createBrowser, signIn, type TestApp } from "../support/harness.js";
import {
  authorize,
  authorizeUrl,
  createOidcAppWithClient,
  newBrowser,
  pkcePair,
  type RegisteredClient,
  registerClient,
  signInThroughClient,
} from "./support.js";

let testApp: TestApp;
let client: RegisteredClient;
beforeEach(async () => {
  ({ testApp, client } = await createOidcAppWithClient());
});
afterEach(() => testApp.close());

describe("discovery", () => {
  it.each(["/oidc/", "/oidc/nope", "/oidc/reg", "/oidc/token/", "/oidc/auth//"])(
    "an address the provider does not serve (%s) answers the JSON 404",
    async (url) => {
      const response = await testApp.app.inject({ url });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: "Not found.", code: "not_found" });
    },
  );

  it("publishes the issuer as PUBLIC_URL's origin and only the code flow", async () => {
    const response = await testApp.app.inject({ url: "/.well-known/openid-configuration" });
    expect(response.statusCode).toBe(200);
    const metadata = response.json();
    expect(metadata.issuer).toBe("http://localhost:8000");
    expect(metadata.authorization_endpoint).toBe("http://localhost:8000/oidc/auth");
    expect(metadata.response_types_supported).toEqual(["code"]);
    expect(metadata.grant_types_supported).not.toContain("password");
    expect(metadata.grant_types_supported).not.toContain("implicit");
    expect(metadata.code_challenge_methods_supported).toEqual(["S256"]);
    expect(metadata.scopes_supported).toEqual(
      expect.arrayContaining(["openid", "email", "profile", "offline_access"]),
    );
    expect(metadata.id_token_signing_alg_values_supported).toEqual(
      expect.arrayContaining(["RS256", "ES256", "EdDSA"]),
    );
    expect(metadata.end_session_endpoint).toBe("http://localhost:8000/oidc/session/end");
  });

  it("never builds its URLs from the Host header", async () => {
    const response = await testApp.app.inject({
      url: "/.well-known/openid-configuration",
      headers: { host: "evil.example", "x-forwarded-host": "evil.example" },
    });
    expect(response.body).not.toContain("evil.example");
  });
});

describe("authorization code flow with PKCE", () => {
  it("signs a person in by email code and returns state and a code to the client", async () => {
    const browser = newBrowser(testApp);
    const callback = await authorize(testApp, browser, authorizeUrl(client, pkceParams()));
    expect(callback.origin + callback.pathname).toBe(client.redirectUri);
    expect(callback.searchParams.get("state")).toBe("state-123");
    expect(callback.searchParams.get("code")).toBeTruthy();
    const session = await browser.get("/api/auth/session");
    expect(session.json().email).toBe("ada@example.com");
  });

  it("a first-party app asking a signed-in person for one more scope goes straight back, without a consent step", async () => {
    const browser = newBrowser(testApp);
    await authorize(testApp, browser, authorizeUrl(client, { ...pkceParams(), scope: "openid" }));
    const wider = await browser.get(authorizeUrl(client, { ...pkceParams(), scope: "openid email" }));
    const location = new URL(wider.headers.location as string, "http://localhost:8000");
    expect(location.origin + location.pathname).toBe(client.redirectUri);
    expect(location.searchParams.get("code")).toBeTruthy();
  });

  it("issues an RS256 ID token with sub, nonce, auth_time and amr", async () => {
    const browser = newBrowser(testApp);
    const { tokens } = await signInThroughClient(testApp, browser, client, { scope: "openid email" });
    expect(decodeProtectedHeader(tokens.id_token ?? "").alg).toBe("RS256");
    const payload = await verifyIdToken(tokens.id_token ?? "", client);
    const session = (await browser.get("/api/auth/session")).json();
    expect(payload.sub).toBe(session.user_id);
    expect(payload.nonce).toBe("nonce-456");
    expect(payload.amr).toEqual(["otp"]);
    expect(typeof payload.auth_time).toBe("number");
    expect(tokens.refresh_token).toBeUndefined();
  });

  it.each(["ES256", "EdDSA"] as const)(
    "a client registered with %s gets ID tokens signed with it, verifiable with the JWKS",
    async (algorithm) => {
      const registered = await registerClient(testApp, {
        name: `${algorithm} app`,
        idTokenSigningAlgorithm: algorithm,
      });
      const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), registered, {
        scope: "openid",
      });
      expect(decodeProtectedHeader(tokens.id_token ?? "").alg).toBe(algorithm);
      const payload = await verifyIdToken(tokens.id_token ?? "", registered, algorithm);
      expect(payload.nonce).toBe("nonce-456");
    },
  );

  it("a person who signs in with a passkey at /authorize gets an ID token whose amr says so", async () => {
    const laptop = createBrowser(testApp);
    await signIn(testApp, laptop, "ada@example.com");
    const authenticator = createAuthenticator();
    expect((await addPasskey(laptop, authenticator)).statusCode).toBe(200);
    const mailsBefore = testApp.mailbox.messages().length;
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client, {
      scope: "openid",
      signInWith: async (browser) => {
        const response = await signInWithPasskey(browser, authenticator);
        expect(response.statusCode, response.body).toBe(200);
      },
    });
    const payload = await verifyIdToken(tokens.id_token ?? "", client);
    expect(payload.amr).toEqual(["hwk", "user"]);
    expect(testApp.mailbox.messages().length).toBe(mailsBefore);
  });

  it("answers userinfo with email claims only for the email scope", async () => {
    const withEmail = await signInThroughClient(testApp, newBrowser(testApp), client, {
      scope: "openid email",
    });
    const userinfo = await testApp.app.inject({
      url: "/oidc/me",
      headers: { authorization: `Bearer ${withEmail.tokens.access_token}` },
    });
    expect(userinfo.statusCode).toBe(200);
    expect(userinfo.json()).toMatchObject({ email: "ada@example.com", email_verified: true });

    const without = await signInThroughClient(testApp, newBrowser(testApp), client, {
      scope: "openid",
      email: "grace@example.com",
    });
    const bare = await testApp.app.inject({
      url: "/oidc/me",
      headers: { authorization: `Bearer ${without.tokens.access_token}` },
    });
    expect(Object.keys(bare.json())).toEqual(["sub"]);
  });
});

function pkceParams() {
  const pkce = pkcePair();
  return { code_challenge: pkce.challenge, code_challenge_method: "S256" };
}

/** Verifies an ID token as a client does: the provider's JWKS, issuer, audience and algorithm. */
async function verifyIdToken(idToken: string, as: RegisteredClient, algorithm = "RS256") {
  const jwks = (await testApp.app.inject({ url: "/oidc/jwks" })).json() as JSONWebKeySet;
  const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), {
    issuer: "http://localhost:8000",
    audience: as.clientId,
    algorithms: [algorithm],
  });
  return payload;
}
