import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestApp } from "../support/harness.js";
import {
  createOidcAppWithClient,
  newBrowser,
  type RegisteredClient,
  registerClient,
  signInThroughClient,
  tokenRequest,
} from "./support.js";

let testApp: TestApp;
let client: RegisteredClient;
beforeEach(async () => {
  ({ testApp, client } = await createOidcAppWithClient());
});
afterEach(() => testApp.close());

const refresh = (token: string, as = client) =>
  tokenRequest(testApp, as, { grant_type: "refresh_token", refresh_token: token });

const userinfo = (accessToken: string) =>
  testApp.app.inject({ url: "/oidc/me", headers: { authorization: `Bearer ${accessToken}` } });

describe("refresh tokens", () => {
  it("are issued only with offline_access", async () => {
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client, { scope: "openid" });
    expect(tokens.refresh_token).toBeUndefined();
  });

  it("rotate on every use", async () => {
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client);
    const first = await refresh(tokens.refresh_token ?? "");
    expect(first.statusCode).toBe(200);
    expect(first.json().refresh_token).toBeTruthy();
    expect(first.json().refresh_token).not.toBe(tokens.refresh_token);
  });

  it("refuse a rotated-out token with invalid_grant and revoke the grant it came from", async () => {
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client);
    const rotated = (await refresh(tokens.refresh_token ?? "")).json();
    const replay = await refresh(tokens.refresh_token ?? "");
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error).toBe("invalid_grant");
    expect((await refresh(rotated.refresh_token)).json().error).toBe("invalid_grant");
    expect((await userinfo(rotated.access_token)).statusCode).toBe(401);
  });

  it("of one client are refused to another client", async () => {
    const other = await registerClient(testApp, { name: "Other App" });
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client);
    const stolen = await refresh(tokens.refresh_token ?? "", other);
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().error).toBe("invalid_grant");
  });
});

describe("revocation and introspection", () => {
  it("revokes an access token at once", async () => {
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client);
    expect((await userinfo(tokens.access_token ?? "")).statusCode).toBe(200);
    const revoked = await tokenRequest(
      testApp,
      client,
      { token: tokens.access_token ?? "" },
      { path: "/oidc/token/revocation" },
    );
    expect(revoked.statusCode).toBe(200);
    expect((await userinfo(tokens.access_token ?? "")).statusCode).toBe(401);
  });

  it("revoking a refresh token refuses its next use", async () => {
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client);
    await tokenRequest(
      testApp,
      client,
      { token: tokens.refresh_token ?? "" },
      { path: "/oidc/token/revocation" },
    );
    expect((await refresh(tokens.refresh_token ?? "")).json().error).toBe("invalid_grant");
  });

  it("a blocked account's app tokens stay dead after the unblock", async () => {
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client);
    const sub = (await userinfo(tokens.access_token ?? "")).json().sub;
    const { key } = await testApp.services.operations.adminKeys.create("support");
    const admin = (action: string) =>
      testApp.app.inject({
        method: "POST",
        url: `/api/admin/users/${sub}/${action}`,
        headers: { authorization: `Bearer ${key}` },
      });
    expect((await admin("block")).statusCode).toBe(200);
    expect((await admin("unblock")).statusCode).toBe(200);
    expect((await userinfo(tokens.access_token ?? "")).statusCode).toBe(401);
    expect((await refresh(tokens.refresh_token ?? "")).json().error).toBe("invalid_grant");
  });

  it("tells a confidential client whether a token is active", async () => {
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client);
    const response = await tokenRequest(
      testApp,
      client,
      { token: tokens.access_token ?? "" },
      { path: "/oidc/token/introspection" },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ active: true, client_id: client.clientId });
  });

  it("tells a public client nothing", async () => {
    const publicClient = await registerClient(testApp, { name: "Mobile", isPublic: true });
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), publicClient);
    const response = await tokenRequest(
      testApp,
      publicClient,
      { token: tokens.access_token ?? "" },
      { path: "/oidc/token/introspection" },
    );
    expect(response.json()).toEqual({ active: false });
  });
});

describe("client secrets", () => {
  it("are stored only as a hash", async () => {
    const row = await testApp.database.db
      .selectFrom("oidc_clients")
      .selectAll()
      .where("id", "=", client.clientId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(client.clientSecret);
  });

  it("a wrong secret is refused as invalid_client, by client_secret_post too", async () => {
    const wrong = { ...client, clientSecret: `${client.clientSecret}x` };
    const response = await tokenRequest(testApp, wrong, { grant_type: "authorization_code", code: "x" });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe("invalid_client");
    const posted = await testApp.app.inject({
      method: "POST",
      url: "/oidc/token",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        grant_type: "authorization_code",
        code: "x",
        client_id: client.clientId,
        client_secret: wrong.clientSecret,
      }).toString(),
    });
    expect(posted.json().error).toBe("invalid_client");
  });

  it("a rotated secret replaces the old one", async () => {
    const secret = await testApp.services.oidc.clients.rotateSecret(client.clientId);
    const old = await tokenRequest(testApp, client, { grant_type: "refresh_token", refresh_token: "x" });
    expect(old.json().error).toBe("invalid_client");
    const renewed = await tokenRequest(
      testApp,
      { ...client, clientSecret: secret },
      { grant_type: "refresh_token", refresh_token: "x" },
    );
    expect(renewed.json().error).toBe("invalid_grant");
  });

  it("a removed client's tokens die with it", async () => {
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client);
    expect(await testApp.services.oidc.clients.remove(client.clientId)).toBe(true);
    expect((await userinfo(tokens.access_token ?? "")).statusCode).toBe(401);
  });
});
