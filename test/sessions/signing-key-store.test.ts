import { jwtVerify, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "../../src/db/database.js";
import { createKeyring } from "../../src/security/crypto.js";
import {
  ASYMMETRIC_ALGORITHMS,
  type AsymmetricAlgorithm,
  createSigningKeys,
} from "../../src/sessions/signing-keys.js";
import { createSteppableClock, type SteppableClock } from "../support/clock.js";
import { TEST_SECRET_KEY } from "../support/harness.js";
import { createSharedDatabase } from "./shared-database.js";

const MINUTE_MS = 60_000;

describe("the signing-key store", () => {
  let shared: Awaited<ReturnType<typeof createSharedDatabase>>;
  let first: DatabaseHandle;
  let second: DatabaseHandle;
  let clock: SteppableClock;

  beforeEach(async () => {
    shared = await createSharedDatabase();
    const open = () => openDatabase({ dialect: shared.dialect, location: shared.location, timeoutMs: 5000 });
    first = open();
    await migrateToLatest(first.db);
    second = open();
    clock = createSteppableClock();
  });
  afterEach(async () => {
    await first.close();
    await second.close();
    await shared.drop();
  });

  function store(database: DatabaseHandle, algorithm?: AsymmetricAlgorithm) {
    return createSigningKeys({
      db: database.db,
      clock,
      encryptionKey: createKeyring(TEST_SECRET_KEY).signingKeyEncryptionKey,
      jwtSecret: undefined,
      algorithm,
      rotationDays: 30,
      retiredKeyLifetimeMs: 20 * MINUTE_MS,
    });
  }

  const storedKids = async (algorithm = "EdDSA") =>
    (await first.db.selectFrom("signing_keys").select("kid").where("alg", "=", algorithm).execute()).map(
      (row) => row.kid,
    );

  describe.each(ASYMMETRIC_ALGORITHMS)("%s keys", (algorithm) => {
    const publicMembers = {
      EdDSA: ["crv", "kty", "x"],
      ES256: ["crv", "kty", "x", "y"],
      RS256: ["e", "kty", "n"],
    };

    it("the JWKS holds the key type's public members, and never a private one", async () => {
      const keys = store(first, algorithm);
      await keys.ensureCurrent();
      const [published] = keys.jwks().keys;
      expect(Object.keys(published ?? {}).sort()).toEqual(
        [...publicMembers[algorithm], "alg", "kid", "use"].sort(),
      );
      expect(published).toMatchObject({ alg: algorithm, use: "sig" });
    });

    it("a token signed with the current key verifies with its published key", async () => {
      const keys = store(first, algorithm);
      await keys.ensureCurrent();
      const { kid, key } = keys.currentSigningKey();
      const token = await new SignJWT({ sub: "u" }).setProtectedHeader({ alg: algorithm, kid }).sign(key);
      const verificationKey = await keys.resolveVerificationKey(kid);
      expect(verificationKey).toBeDefined();
      await expect(jwtVerify(token, verificationKey!, { algorithms: [algorithm] })).resolves.toBeDefined();
    });
  });

  it("stores of different algorithms share the table and never see each other's keys", async () => {
    const access = store(first, "EdDSA");
    const oidc = store(second, "RS256");
    await access.ensureCurrent();
    await oidc.ensureCurrent();
    await oidc.rotate();
    expect(access.jwks().keys.map((key) => key.alg)).toEqual(["EdDSA"]);
    expect(oidc.jwks().keys.map((key) => key.alg)).toEqual(["RS256", "RS256"]);
    expect((await access.list()).map((key) => key.status)).toEqual(["active"]);
    await access.pruneRetired();
    expect(await storedKids("RS256")).toHaveLength(2);
  });

  it("signingJwks gives the private JWKs of the published keys, the signing key first", async () => {
    const keys = store(first, "RS256");
    await keys.ensureCurrent();
    const oldKid = keys.currentSigningKey().kid;
    const newKid = await keys.rotate();
    const jwks = keys.signingJwks();
    expect(jwks.map((jwk) => jwk.kid)).toEqual([newKid, oldKid]);
    expect(jwks[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(jwks[0]?.d).toEqual(expect.any(String));
  });

  it("two instances starting together on an empty database create exactly one first key", async () => {
    const a = store(first);
    const b = store(second);
    await Promise.all([a.ensureCurrent(), b.ensureCurrent()]);
    expect(await storedKids()).toHaveLength(1);
    expect(a.currentSigningKey().kid).toBe(b.currentSigningKey().kid);
  });

  it("two rotations at the same moment add exactly one key, which both instances sign with", async () => {
    const a = store(first);
    const b = store(second);
    await a.ensureCurrent();
    await b.ensureCurrent();
    const [rotatedByA, rotatedByB] = await Promise.all([a.rotate(), b.rotate()]);
    expect(await storedKids()).toHaveLength(2);
    expect(rotatedByA).toBe(rotatedByB);
    expect(a.currentSigningKey().kid).toBe(rotatedByA);
    expect(b.currentSigningKey().kid).toBe(rotatedByA);
  });

  it("a scheduled rotation checked by two instances at once adds exactly one key", async () => {
    const a = store(first);
    const b = store(second);
    await a.ensureCurrent();
    clock.advanceSeconds(31 * 86_400);
    await Promise.all([a.ensureCurrent(), b.ensureCurrent()]);
    expect(await storedKids()).toHaveLength(2);
    expect(a.currentSigningKey().kid).toBe(b.currentSigningKey().kid);
  });

  describe("revoking a leaked key", () => {
    it("removes it from the JWKS and from verification at once, and a new key signs", async () => {
      const keys = store(first);
      await keys.ensureCurrent();
      const leaked = keys.currentSigningKey().kid;
      expect(await keys.revoke(leaked)).toBe(true);
      expect(keys.jwks().keys.map((key) => key.kid)).not.toContain(leaked);
      expect(await keys.resolveVerificationKey(leaked)).toBeUndefined();
      expect(keys.currentSigningKey().kid).not.toBe(leaked);
      expect((await keys.list()).find((key) => key.kid === leaked)?.status).toBe("revoked");
    });

    it("another instance refuses the key within a second, without waiting for its key reload", async () => {
      const revoker = store(first);
      const other = store(second);
      await revoker.ensureCurrent();
      await other.ensureCurrent();
      const leaked = other.currentSigningKey().kid;
      await revoker.revoke(leaked);
      clock.advanceSeconds(1);
      expect(await other.resolveVerificationKey(leaked)).toBeUndefined();
      expect(other.jwks().keys.map((key) => key.kid)).not.toContain(leaked);
      expect(other.currentSigningKey().kid).toBe(revoker.currentSigningKey().kid);
    });

    it("revoking a retired key keeps the signing key", async () => {
      const keys = store(first);
      await keys.ensureCurrent();
      const retired = keys.currentSigningKey().kid;
      const current = await keys.rotate();
      await keys.revoke(retired);
      expect(keys.currentSigningKey().kid).toBe(current);
      expect(keys.jwks().keys.map((key) => key.kid)).toEqual([current]);
    });

    it("an unknown kid, or another algorithm's key, is not revoked", async () => {
      const access = store(first, "EdDSA");
      const oidc = store(second, "RS256");
      await access.ensureCurrent();
      await oidc.ensureCurrent();
      expect(await access.revoke("no-such-kid")).toBe(false);
      expect(await access.revoke(oidc.currentSigningKey().kid)).toBe(false);
      expect(oidc.jwks().keys).toHaveLength(1);
    });
  });
});
