import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryMailbox } from "../../src/mail/transports.js";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "../support/database.js";
import type { TestApp } from "../support/harness.js";
import {
  authorize,
  authorizeUrl,
  createOidcTestApp,
  newBrowser,
  pkcePair,
  registerClient,
  tokenRequest,
} from "./support.js";

// Two instances share one database; SQLite's test database lives in one process's memory.
describe.runIf(testDatabaseKind === "postgres")("two instances on one PostgreSQL database", () => {
  let database: TestDatabase;
  let instanceA: TestApp;
  let instanceB: TestApp;

  beforeEach(async () => {
    database = await createTestDatabase();
    // Either instance's outbox worker may deliver a mail the other queued: one mailbox for both.
    const mailbox = createMemoryMailbox();
    instanceA = await createOidcTestApp({ database, mailbox });
    instanceB = await createOidcTestApp({ database, mailbox });
  });
  afterEach(async () => {
    await instanceA.close();
    await instanceB.close();
    await database.drop();
  });

  it("authorize on A, token on B, revoke on B: A refuses the token at once", async () => {
    const client = await registerClient(instanceA);
    const pkce = pkcePair();
    const callback = await authorize(
      instanceA,
      newBrowser(instanceA),
      authorizeUrl(client, {
        scope: "openid",
        code_challenge: pkce.challenge,
        code_challenge_method: "S256",
      }),
    );
    const exchanged = await tokenRequest(instanceB, client, {
      grant_type: "authorization_code",
      code: callback.searchParams.get("code") ?? "",
      redirect_uri: client.redirectUri,
      code_verifier: pkce.verifier,
    });
    expect(exchanged.statusCode).toBe(200);
    const accessToken: string = exchanged.json().access_token;
    const userinfoOn = (app: TestApp) =>
      app.app.inject({ url: "/oidc/me", headers: { authorization: `Bearer ${accessToken}` } });
    expect((await userinfoOn(instanceA)).statusCode).toBe(200);
    const revoked = await tokenRequest(
      instanceB,
      client,
      { token: accessToken },
      { path: "/oidc/token/revocation" },
    );
    expect(revoked.statusCode).toBe(200);
    expect((await userinfoOn(instanceA)).statusCode).toBe(401);
  });

  it("both instances publish the same signing keys", async () => {
    const jwksA = (await instanceA.app.inject({ url: "/oidc/jwks" })).json();
    const jwksB = (await instanceB.app.inject({ url: "/oidc/jwks" })).json();
    expect(jwksA).toEqual(jwksB);
    for (const key of jwksA.keys) expect(key.d).toBeUndefined();
  });
});
