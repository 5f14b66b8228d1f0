import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createKeyring } from "../../src/security/crypto.js";
import { createAccessTokens, createSigningKeys } from "../../src/sessions/index.js";
import { createTestApp, TEST_SECRET_KEY, type TestApp } from "../support/harness.js";
import { bearer, getWith, signInForTokens } from "./helpers.js";

const MINUTE = 60;
const DAY = 86_400;

describe("JWKS and signing key rotation", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  const jwks = async () => (await getWith(testApp, "/.well-known/jwks.json")).json();
  const kidOf = (token: string) => decodeProtectedHeader(token).kid;
  const canAccess = async (token: string) =>
    (await getWith(testApp, "/api/auth/protected", bearer(token))).statusCode;

  /** Another sign-in, past the per-email send cooldown. */
  async function signInAgain(email: string) {
    testApp.clock.advanceSeconds(31);
    return signInForTokens(testApp, email);
  }

  it("SECURITY 26: the JWKS holds only public members of Ed25519 keys", async () => {
    const response = await getWith(testApp, "/.well-known/jwks.json");
    expect(response.statusCode).toBe(200);
    const { keys } = response.json();
    expect(keys).toHaveLength(1);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x"]);
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
      expect(key.d).toBeUndefined();
    }
    expect(response.body).not.toContain('"d"');
  });

  it("SECURITY 26: the JWKS may be cached briefly by verifiers", async () => {
    const response = await getWith(testApp, "/.well-known/jwks.json");
    expect(response.headers["cache-control"]).toMatch(/^public, max-age=\d+$/);
  });

  it("SECURITY 26: every issued token's kid is in the JWKS and verifies with it", async () => {
    const tokens = await signInForTokens(testApp, "alice@example.com");
    const keySet = createLocalJWKSet(await jwks());
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, keySet, {
      issuer: testApp.config.tokens.issuer,
      audience: testApp.config.tokens.audience,
      typ: "at+jwt",
      algorithms: ["EdDSA"],
      currentDate: new Date(testApp.clock.now()),
    });
    expect((await jwks()).keys.map((key: { kid: string }) => key.kid)).toContain(protectedHeader.kid);
    expect(payload.sid).toEqual(expect.any(String));
  });

  it("private keys are encrypted at rest", async () => {
    // The access-token keys; the OpenID Provider keeps its own RS256/ES256 rows beside them.
    const rows = await testApp.database.db
      .selectFrom("signing_keys")
      .selectAll()
      .where("alg", "=", "EdDSA")
      .execute();
    expect(rows).toHaveLength(1);
    for (const row of rows) {
      expect(row.private_jwk).not.toContain('"d"');
      expect(row.private_jwk).not.toContain("OKP");
      expect(row.public_jwk).not.toContain('"d"');
    }
  });

  it("SECURITY 26: after rotation new tokens carry the new kid and the JWKS holds both keys", async () => {
    const before = await signInForTokens(testApp, "alice@example.com");
    const newKid = await testApp.services.keys.rotate();
    const after = await signInAgain("alice@example.com");
    expect(kidOf(after.access_token)).toBe(newKid);
    expect(kidOf(after.access_token)).not.toBe(kidOf(before.access_token));
    const kids = (await jwks()).keys.map((key: { kid: string }) => key.kid);
    expect(kids.sort()).toEqual([kidOf(before.access_token), newKid].sort());
    expect(new Set(kids).size).toBe(kids.length);
  });

  it("SECURITY 26: tokens signed with the old key keep verifying until they expire", async () => {
    const before = await signInForTokens(testApp, "alice@example.com");
    await testApp.services.keys.rotate();
    testApp.clock.advanceSeconds(14 * MINUTE);
    expect(await canAccess(before.access_token)).toBe(200);
  });

  it("SECURITY 26: the old key leaves the JWKS once every token it signed has expired", async () => {
    const before = await signInForTokens(testApp, "alice@example.com");
    const oldKid = kidOf(before.access_token);
    await testApp.services.keys.rotate();
    testApp.clock.advanceSeconds(15 * MINUTE);
    expect((await jwks()).keys.map((key: { kid: string }) => key.kid)).toContain(oldKid);
    const { accessTokenTtlSeconds, clockSkewSeconds, keyReloadSeconds } = testApp.config.tokens;
    testApp.clock.advanceSeconds(
      accessTokenTtlSeconds + clockSkewSeconds + keyReloadSeconds - 15 * MINUTE + 1,
    );
    await testApp.services.keys.ensureCurrent();
    const kids = (await jwks()).keys.map((key: { kid: string }) => key.kid);
    expect(kids).not.toContain(oldKid);
    expect(kids).toHaveLength(1);
  });

  it("SECURITY 26: a retired key is deleted from the database after its window", async () => {
    await testApp.services.keys.rotate();
    testApp.clock.advanceSeconds(DAY);
    expect(await testApp.services.keys.pruneRetired()).toBe(1);
    expect(
      await testApp.database.db.selectFrom("signing_keys").selectAll().where("alg", "=", "EdDSA").execute(),
    ).toHaveLength(1);
  });

  it("SECURITY 26: a scheduled rotation publishes the next key before it signs with it", async () => {
    const before = await signInForTokens(testApp, "alice@example.com");
    const oldKid = kidOf(before.access_token);
    const prepublishSeconds = testApp.config.tokens.keyReloadSeconds + 600;
    testApp.clock.advanceSeconds(30 * DAY - prepublishSeconds);
    await testApp.services.keys.ensureCurrent(); // what every instance runs periodically
    const published = (await jwks()).keys.map((key: { kid: string }) => key.kid);
    expect(published).toHaveLength(2);
    const nextKid = published.find((published: string) => published !== oldKid);
    expect((await testApp.services.keys.list()).map((key) => key.status)).toEqual(["pending", "active"]);
    expect(kidOf((await signInAgain("alice@example.com")).access_token)).toBe(oldKid);
    testApp.clock.advanceSeconds(prepublishSeconds - 31);
    const after = await signInAgain("alice@example.com");
    expect(kidOf(after.access_token)).toBe(nextKid); // switched on time, no reload needed
    expect(await canAccess(after.access_token)).toBe(200);
  });

  it("a scheduled rotation happens once, however often instances check", async () => {
    testApp.clock.advanceSeconds(30 * DAY);
    for (let check = 0; check < 3; check++) await testApp.services.keys.ensureCurrent();
    expect((await jwks()).keys).toHaveLength(2);
  });

  it("keys do not rotate before 30 days", async () => {
    const before = await signInForTokens(testApp, "alice@example.com");
    testApp.clock.advanceSeconds(29 * DAY);
    await testApp.services.keys.ensureCurrent();
    const after = await signInAgain("alice@example.com");
    expect(kidOf(after.access_token)).toBe(kidOf(before.access_token));
  });

  /** A second instance over the same database: rotates and signs on its own. */
  async function otherInstance() {
    const keys = createSigningKeys({
      db: testApp.database.db,
      clock: testApp.clock,
      encryptionKey: createKeyring(TEST_SECRET_KEY).signingKeyEncryptionKey,
      jwtSecret: undefined,
      rotationDays: 30,
      retiredKeyLifetimeMs: 20 * MINUTE * 1000,
    });
    await keys.ensureCurrent();
    const signer = createAccessTokens({
      keys,
      clock: testApp.clock,
      issuer: testApp.config.tokens.issuer,
      audience: testApp.config.tokens.audience,
      ttlSeconds: 900,
      clockSkewSeconds: 30,
    });
    return { keys, signer };
  }

  it("a key rotated by another instance verifies here at once, before the periodic reload", async () => {
    const other = await otherInstance();
    const newKid = await other.keys.rotate();
    const tokens = await signInForTokens(testApp, "alice@example.com");
    const { sessionId, userId } = await testApp.services.sessions.authenticate(tokens.access_token);
    const fromOtherInstance = (await other.signer.sign({ userId, sessionId })).token;
    expect(kidOf(fromOtherInstance)).toBe(newKid);
    expect(await canAccess(fromOtherInstance)).toBe(200);
  });

  it("unknown kids reload the keys at most once every few seconds", async () => {
    const tokens = await signInForTokens(testApp, "alice@example.com");
    const { sessionId, userId } = await testApp.services.sessions.authenticate(tokens.access_token);
    const [, payload, signature] = tokens.access_token.split(".");
    const header = Buffer.from(JSON.stringify({ alg: "EdDSA", kid: "unknown-kid", typ: "at+jwt" })).toString(
      "base64url",
    );
    expect(await canAccess(`${header}.${payload}.${signature}`)).toBe(401); // this one reloads
    const other = await otherInstance();
    await other.keys.rotate();
    const fromOtherInstance = (await other.signer.sign({ userId, sessionId })).token;
    expect(await canAccess(fromOtherInstance)).toBe(401); // too soon for another reload
    testApp.clock.advanceSeconds(6);
    expect(await canAccess(fromOtherInstance)).toBe(200);
  });
});

describe("signing keys under another SECRET_KEY", () => {
  it("refuses to start with a clear message naming SECRET_KEY", async () => {
    const first = await createTestApp();
    try {
      const keys = createSigningKeys({
        db: first.database.db,
        clock: first.clock,
        encryptionKey: createKeyring("a-different-secret-key-that-is-long-enough").signingKeyEncryptionKey,
        jwtSecret: undefined,
        rotationDays: 30,
        retiredKeyLifetimeMs: 1_000_000,
      });
      await expect(keys.ensureCurrent()).rejects.toThrow(/SECRET_KEY is not the one that created it/);
    } finally {
      await first.close();
    }
  });
});
