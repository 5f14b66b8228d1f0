import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { TestApp } from "../support/harness.js";
import {
  createOidcAppWithClient,
  endSession,
  newBrowser,
  type RegisteredClient,
  signInThroughClient,
  submitLogoutForm,
  tokenRequest,
} from "./support.js";

// GET /oidc/me with only a Bearer token is answered by Latchkey from oidc-provider's models
// (src/oidc/userinfo.ts); every other request, and every refusal, by oidc-provider itself.

let testApp: TestApp;
let client: RegisteredClient;
let directAnswers: unknown[];
beforeEach(async () => {
  ({ testApp, client } = await createOidcAppWithClient());
  directAnswers = [];
  const answer = testApp.services.oidc.directUserinfo;
  vi.spyOn(testApp.services.oidc, "directUserinfo").mockImplementation(async (token) => {
    const claims = await answer(token);
    directAnswers.push(claims);
    return claims;
  });
});
afterEach(() => testApp.close());

const getUserinfo = (accessToken: string) =>
  testApp.app.inject({ url: "/oidc/me", headers: { authorization: `Bearer ${accessToken}` } });

/** The same question through oidc-provider: a POST is never answered directly. */
const postUserinfo = (accessToken: string) =>
  testApp.app.inject({
    method: "POST",
    url: "/oidc/me",
    headers: { authorization: `Bearer ${accessToken}` },
  });

async function tokensFor(scope: string, email = "ada@example.com") {
  const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client, { scope, email });
  return tokens as { access_token: string; refresh_token: string };
}

/** Rewrites a stored payload, as a bug or another instance could have left it. */
async function rewritePayload(
  model: string,
  change: (payload: Record<string, unknown>) => void,
  id?: string,
) {
  const db = testApp.database.db;
  let query = db.selectFrom("oidc_payloads").select(["id", "payload"]).where("model", "=", model);
  if (id) query = query.where("id", "=", id);
  const row = await query.executeTakeFirstOrThrow();
  const payload = JSON.parse(row.payload);
  change(payload);
  await db
    .updateTable("oidc_payloads")
    .set({ payload: JSON.stringify(payload) })
    .where("model", "=", model)
    .where("id", "=", row.id)
    .execute();
}

describe("the direct userinfo answer", () => {
  it.each(["openid", "openid email", "email openid offline_access", "openid profile email"])(
    "is oidc-provider's answer, byte for byte, for scope %s",
    async (scope) => {
      const { access_token } = await tokensFor(scope);
      const direct = await getUserinfo(access_token);
      const provider = await postUserinfo(access_token);
      expect(directAnswers).toHaveLength(1);
      expect(directAnswers[0]).toBeDefined();
      expect(direct.statusCode).toBe(200);
      expect(provider.statusCode).toBe(200);
      expect(direct.body).toBe(provider.body);
      expect(direct.headers["content-type"]).toBe(provider.headers["content-type"]);
      expect(direct.headers["cache-control"]).toBe("no-store");
    },
  );

  it("releases only what the scopes grant", async () => {
    const withEmail = (await getUserinfo((await tokensFor("openid email")).access_token)).json();
    expect(Object.keys(withEmail)).toEqual(["sub", "email", "email_verified"]);
    expect(withEmail).toMatchObject({ email: "ada@example.com", email_verified: true });
    const bare = (await getUserinfo((await tokensFor("openid", "grace@example.com")).access_token)).json();
    expect(Object.keys(bare)).toEqual(["sub"]);
  });

  it("is never given for a refresh token presented as an access token", async () => {
    const { refresh_token } = await tokensFor("openid email offline_access");
    const response = await getUserinfo(refresh_token);
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe("invalid_token");
  });

  it("is never given for a revoked access token", async () => {
    const { access_token } = await tokensFor("openid email");
    const revoked = await tokenRequest(
      testApp,
      client,
      { token: access_token },
      { path: "/oidc/token/revocation" },
    );
    expect(revoked.statusCode).toBe(200);
    expect((await getUserinfo(access_token)).statusCode).toBe(401);
  });

  it("is never given once the access token has expired", async () => {
    const { access_token } = await tokensFor("openid email");
    testApp.clock.advance((testApp.config.tokens.accessTokenTtlSeconds + 1) * 1000);
    expect((await getUserinfo(access_token)).statusCode).toBe(401);
  });

  it("is never given once the token's own expiry has passed", async () => {
    const { access_token } = await tokensFor("openid email offline_access");
    await rewritePayload(
      "AccessToken",
      (token) => {
        token.exp = Math.floor(Date.now() / 1000) - 3600; // past oidc-provider's clock tolerance
      },
      access_token,
    );
    expect((await getUserinfo(access_token)).statusCode).toBe(401);
  });

  it("is never given once the grant's own expiry has passed", async () => {
    const { access_token } = await tokensFor("openid email");
    await rewritePayload("Grant", (grant) => {
      grant.exp = Math.floor(Date.now() / 1000) - 1;
    });
    expect((await getUserinfo(access_token)).statusCode).toBe(401);
  });

  it("is never given for a token without offline_access once the person signed out of the app", async () => {
    const browser = newBrowser(testApp);
    const { tokens } = await signInThroughClient(testApp, browser, client, { scope: "openid email" });
    expect((await getUserinfo(tokens.access_token ?? "")).statusCode).toBe(200);
    const confirm = await endSession(browser, { id_token_hint: tokens.id_token ?? "" });
    expect((await submitLogoutForm(testApp, browser, confirm)).statusCode).toBe(303);
    expect((await getUserinfo(tokens.access_token ?? "")).statusCode).toBe(401);
  });

  it.each([
    ["signs out of Latchkey", "/api/auth/logout"],
    ["signs out of Latchkey everywhere", "/api/auth/logout-all"],
  ])("is never given for a token without offline_access once the person %s", async (_case, path) => {
    const browser = newBrowser(testApp);
    const { tokens } = await signInThroughClient(testApp, browser, client, { scope: "openid email" });
    expect((await getUserinfo(tokens.access_token ?? "")).statusCode).toBe(200);
    expect((await browser.post(path)).statusCode).toBe(200);
    expect((await getUserinfo(tokens.access_token ?? "")).statusCode).toBe(401);
    expect((await postUserinfo(tokens.access_token ?? "")).statusCode).toBe(401);
  });

  it("is still given for a token with offline_access after the person signs out of Latchkey", async () => {
    const browser = newBrowser(testApp);
    const { tokens } = await signInThroughClient(testApp, browser, client);
    expect((await browser.post("/api/auth/logout")).statusCode).toBe(200);
    expect((await getUserinfo(tokens.access_token ?? "")).statusCode).toBe(200);
  });

  it("is never given for a blocked account", async () => {
    const { access_token } = await tokensFor("openid email");
    const sub = (await getUserinfo(access_token)).json().sub;
    const { key } = await testApp.services.operations.adminKeys.create("support");
    const blocked = await testApp.app.inject({
      method: "POST",
      url: `/api/admin/users/${sub}/block`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(blocked.statusCode).toBe(200);
    const response = await getUserinfo(access_token);
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe("invalid_token");
  });

  it("is never given once the app's client is gone", async () => {
    const { access_token } = await tokensFor("openid email");
    await testApp.database.db.deleteFrom("oidc_clients").where("id", "=", client.clientId).execute();
    expect((await getUserinfo(access_token)).statusCode).toBe(401);
  });

  it("is never given when the token's grant is another account's", async () => {
    const { access_token } = await tokensFor("openid email");
    await rewritePayload("Grant", (grant) => {
      grant.accountId = "someone-else";
    });
    expect((await getUserinfo(access_token)).statusCode).toBe(401);
  });

  it("is never given when the token's grant is another app's", async () => {
    const { access_token } = await tokensFor("openid email");
    await rewritePayload("Grant", (grant) => {
      grant.clientId = "another-app";
    });
    expect((await getUserinfo(access_token)).statusCode).toBe(401);
  });

  it("leaves out a claim the person declined, as oidc-provider does", async () => {
    const { access_token } = await tokensFor("openid email");
    await rewritePayload("Grant", (grant) => {
      grant.rejected = { openid: { claims: ["email"] } };
    });
    const direct = await getUserinfo(access_token);
    expect(Object.keys(direct.json())).toEqual(["sub", "email_verified"]);
    expect(direct.body).toBe((await postUserinfo(access_token)).body);
  });

  it("releases a claim the app asked for by name, as oidc-provider does", async () => {
    const { access_token } = await tokensFor("openid");
    await rewritePayload("Grant", (grant) => {
      (grant.openid as { claims?: string[] }).claims = ["email"];
    });
    await rewritePayload(
      "AccessToken",
      (token) => {
        token.claims = { userinfo: { email: null } };
      },
      access_token,
    );
    const direct = await getUserinfo(access_token);
    expect(Object.keys(direct.json())).toEqual(["sub", "email"]);
    expect(direct.body).toBe((await postUserinfo(access_token)).body);
  });

  it("is never given once the token's grant is gone", async () => {
    const { access_token } = await tokensFor("openid email");
    await testApp.database.db.deleteFrom("oidc_payloads").where("model", "=", "Grant").execute();
    expect((await getUserinfo(access_token)).statusCode).toBe(401);
  });

  it.each([
    ["bound to a DPoP key", "jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"],
    ["bound to a client certificate", "x5t#S256", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"],
    ["meant for another resource server", "aud", "https://api.example"],
  ])("is never given for a token %s", async (_case, field, value) => {
    const { access_token } = await tokensFor("openid email");
    await rewritePayload(
      "AccessToken",
      (token) => {
        token[field] = value;
      },
      access_token,
    );
    expect((await getUserinfo(access_token)).statusCode).toBeGreaterThanOrEqual(400);
    expect(directAnswers).toEqual([undefined]);
  });

  it("is never given for a token without the openid scope", async () => {
    const { access_token } = await tokensFor("openid email");
    await rewritePayload(
      "AccessToken",
      (token) => {
        token.scope = "email";
      },
      access_token,
    );
    const response = await getUserinfo(access_token);
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toBe("insufficient_scope");
  });

  it("leaves anything but a plain Bearer GET to oidc-provider", async () => {
    const { access_token } = await tokensFor("openid email");
    const withQuery = await testApp.app.inject({
      url: "/oidc/me?scope=openid",
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(withQuery.statusCode).toBe(200);
    const lowercase = await testApp.app.inject({
      url: "/oidc/me",
      headers: { authorization: `bearer ${access_token}` },
    });
    expect(lowercase.statusCode).toBe(200);
    const withDpop = await testApp.app.inject({
      url: "/oidc/me",
      headers: { authorization: `Bearer ${access_token}`, dpop: "not-a-proof" },
    });
    expect(withDpop.statusCode).toBe(400);
    expect(directAnswers).toEqual([]);
  });

  it("answers a missing or malformed token with oidc-provider's 401", async () => {
    const missing = await testApp.app.inject({ url: "/oidc/me" });
    expect(missing.statusCode).toBe(401);
    expect(String(missing.headers["www-authenticate"])).toMatch(/^Bearer realm=/);
    const garbage = await getUserinfo("x".repeat(600));
    expect(garbage.statusCode).toBe(401);
    expect(String(garbage.headers["www-authenticate"])).toMatch(/error="invalid_token"/);
  });
});
