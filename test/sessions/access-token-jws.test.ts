import {
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  type KeyPairKeyObjectResult,
  sign,
} from "node:crypto";
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "../../src/db/database.js";
import { AppError } from "../../src/errors.js";
import { createKeyring } from "../../src/security/crypto.js";
import { type AccessTokens, createAccessTokens } from "../../src/sessions/access-tokens.js";
import { decodeCompact } from "../../src/sessions/compact-jws.js";
import {
  ASYMMETRIC_ALGORITHMS,
  createSigningKeys,
  type SigningAlgorithm,
  type SigningKeys,
} from "../../src/sessions/signing-keys.js";
import { createSteppableClock } from "../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { TEST_SECRET_KEY } from "../support/harness.js";

/**
 * Access tokens signed and verified by Latchkey's compact JWS code (node:crypto), for every
 * algorithm the key store holds: they interoperate with jose both ways, and every forgery
 * below is refused. Forgeries are signed here with node:crypto directly, never with the
 * code under test, so only the named part of each token is wrong.
 */

const ALGORITHMS: SigningAlgorithm[] = [...ASYMMETRIC_ALGORITHMS, "HS256"];
const ISSUER = "http://localhost:8000";
const AUDIENCE = "latchkey";
const SKEW_SECONDS = 30;
const JWT_SECRET = "a-jwt-secret-that-is-at-least-32-bytes-long";

const clock = createSteppableClock();
const nowSeconds = () => Math.floor(clock.now() / 1000);
const encodeJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decodeSegment = (segment: string) => Buffer.from(segment, "base64url");
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Another spelling of `segment` that Buffer decodes to the same bytes: one unused trailing bit set. */
function respell(segment: string): string {
  if (segment.length % 4 !== 2 && segment.length % 4 !== 3) throw new Error("no unused bits to set");
  const last = BASE64URL.indexOf(segment.at(-1) ?? "");
  const respelled = `${segment.slice(0, -1)}${BASE64URL[last | 1]}`;
  expect(respelled).not.toBe(segment);
  expect(decodeSegment(respelled)).toEqual(decodeSegment(segment));
  return respelled;
}

/** `value` as JSON in a segment with unused trailing bits (JSON allows the trailing spaces). */
function segmentWithSpareBits(value: unknown): string {
  for (let spaces = 0; ; spaces++) {
    const segment = Buffer.from(JSON.stringify(value) + " ".repeat(spaces)).toString("base64url");
    if (segment.length % 4 === 2) return segment;
  }
}

function keyObject(key: KeyObject | CryptoKey | Uint8Array): KeyObject {
  if (key instanceof KeyObject) return key;
  if (key instanceof Uint8Array) throw new Error("the store holds HS256 secrets as KeyObjects");
  return KeyObject.from(key);
}

/** A JWS signature by node:crypto, independent of the code under test. */
function signatureOf(algorithm: SigningAlgorithm, key: KeyObject, signingInput: string | Buffer): string {
  const data = Buffer.from(signingInput);
  const signature =
    algorithm === "HS256"
      ? createHmac("sha256", key).update(data).digest()
      : algorithm === "EdDSA"
        ? sign(null, data, key)
        : algorithm === "ES256"
          ? sign("sha256", data, { key, dsaEncoding: "ieee-p1363" })
          : sign("sha256", data, key);
  return signature.toString("base64url");
}

const attackerKeys = new Map<string, KeyPairKeyObjectResult>();
function attackerKeyPair(algorithm: Exclude<SigningAlgorithm, "HS256">): KeyPairKeyObjectResult {
  let pair = attackerKeys.get(algorithm);
  if (!pair) {
    pair =
      algorithm === "EdDSA"
        ? generateKeyPairSync("ed25519")
        : algorithm === "ES256"
          ? generateKeyPairSync("ec", { namedCurve: "P-256" })
          : generateKeyPairSync("rsa", { modulusLength: 2048 });
    attackerKeys.set(algorithm, pair);
  }
  return pair;
}

let database: TestDatabase;
let handle: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
  handle = openDatabase(database.config);
  await migrateToLatest(handle.db);
});
afterAll(async () => {
  await handle.close();
  await database.drop();
});

describe.each(ALGORITHMS)("%s access tokens", (algorithm) => {
  let keys: SigningKeys;
  let tokens: AccessTokens;
  let kid: string;
  let serverKey: KeyObject;
  let valid: string;

  beforeAll(async () => {
    keys = createSigningKeys({
      db: handle.db,
      clock,
      encryptionKey: createKeyring(TEST_SECRET_KEY).signingKeyEncryptionKey,
      jwtSecret: algorithm === "HS256" ? JWT_SECRET : undefined,
      algorithm: algorithm === "HS256" ? undefined : algorithm,
      rotationDays: 30,
      retiredKeyLifetimeMs: 20 * 60_000,
    });
    await keys.ensureCurrent();
    tokens = createAccessTokens({
      keys,
      clock,
      issuer: ISSUER,
      audience: AUDIENCE,
      ttlSeconds: 900,
      clockSkewSeconds: SKEW_SECONDS,
      cacheSize: 0,
    });
    const current = keys.currentSigningKey();
    kid = current.kid;
    serverKey = keyObject(current.key);
    valid = (await tokens.sign({ userId: "user-1", sessionId: "session-1", amr: ["otp"] })).token;
  });

  /** What verifying `token` answers: "accepted" or the AppError code. */
  async function outcome(token: string): Promise<string> {
    tokens.forget();
    try {
      await tokens.verify(token);
      return "accepted";
    } catch (error) {
      if (error instanceof AppError) return error.code;
      throw error;
    }
  }

  function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = nowSeconds();
    const base = { sid: "session-1", iss: ISSUER, aud: AUDIENCE, sub: "user-1", iat: now, exp: now + 900 };
    const merged: Record<string, unknown> = { ...base, jti: "jti-1", ...overrides };
    for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
    return merged;
  }

  /** A token signed with the server's real key over exactly these segments. */
  function signedWithServerKey(headerSegment: string, payloadSegment: string): string {
    const signingInput = `${headerSegment}.${payloadSegment}`;
    return `${signingInput}.${signatureOf(algorithm, serverKey, signingInput)}`;
  }

  /** A token signed with the server's real key: only the named header member or claim is wrong. */
  function forge(header: Record<string, unknown> = {}, payload: Record<string, unknown> = {}): string {
    const fullHeader: Record<string, unknown> = { alg: algorithm, kid, typ: "at+jwt", ...header };
    for (const [name, value] of Object.entries(fullHeader)) if (value === undefined) delete fullHeader[name];
    return signedWithServerKey(encodeJson(fullHeader), encodeJson(claims(payload)));
  }

  const otherAlgorithms = ASYMMETRIC_ALGORITHMS.filter((other) => other !== algorithm);

  describe("interoperability with jose", () => {
    it.skipIf(algorithm === "HS256")(
      "a token Latchkey signs verifies with jose against the published JWKS",
      async () => {
        const keySet = createLocalJWKSet(keys.jwks() as JSONWebKeySet);
        const { payload, protectedHeader } = await jwtVerify(valid, keySet, {
          algorithms: [algorithm],
          issuer: ISSUER,
          audience: AUDIENCE,
          typ: "at+jwt",
          currentDate: new Date(clock.now()),
          requiredClaims: ["exp", "iat", "sub", "sid", "jti"],
        });
        expect(protectedHeader).toEqual({ alg: algorithm, kid, typ: "at+jwt" });
        expect(payload).toMatchObject({ sub: "user-1", sid: "session-1", amr: ["otp"] });
      },
    );

    it.runIf(algorithm === "HS256")(
      "a token Latchkey signs verifies with jose and the shared secret",
      async () => {
        const { payload, protectedHeader } = await jwtVerify(valid, new TextEncoder().encode(JWT_SECRET), {
          algorithms: ["HS256"],
          issuer: ISSUER,
          audience: AUDIENCE,
          typ: "at+jwt",
          currentDate: new Date(clock.now()),
        });
        expect(protectedHeader).toEqual({ alg: "HS256", kid, typ: "at+jwt" });
        expect(payload).toMatchObject({ sub: "user-1", sid: "session-1" });
      },
    );

    it("the token carries the claims it always did, in jose's order", () => {
      expect(Object.keys(decodeJwt(valid))).toEqual(["sid", "amr", "iss", "aud", "sub", "iat", "exp", "jti"]);
      expect(decodeJwt(valid).exp).toBe(nowSeconds() + 900);
    });

    it("a token jose signs with the deployment's key verifies here", async () => {
      const token = await new SignJWT({ sid: "session-2" })
        .setProtectedHeader({ alg: algorithm, kid, typ: "at+jwt" })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject("user-2")
        .setIssuedAt(nowSeconds())
        .setExpirationTime(nowSeconds() + 900)
        .sign(keys.currentSigningKey().key);
      tokens.forget();
      await expect(tokens.verify(token)).resolves.toMatchObject({ userId: "user-2", sessionId: "session-2" });
    });

    it("a token forged here with the real key and the right claims is accepted (control)", async () => {
      expect(await outcome(forge())).toBe("accepted");
    });

    it("typ is compared as jose compares it: AT+JWT and application/at+jwt are accepted", async () => {
      expect(await outcome(forge({ typ: "AT+JWT" }))).toBe("accepted");
      expect(await outcome(forge({ typ: "application/at+jwt" }))).toBe("accepted");
    });

    it("an audience list that includes Latchkey is accepted", async () => {
      expect(await outcome(forge({}, { aud: ["another-api", AUDIENCE] }))).toBe("accepted");
    });
  });

  describe("forgeries", () => {
    it("a token with alg none is refused, with or without a signature", async () => {
      const payload = encodeJson(claims());
      const signature = valid.split(".")[2];
      for (const alg of ["none", "NONE", "None"]) {
        const header = encodeJson({ alg, kid, typ: "at+jwt" });
        expect(await outcome(`${header}.${payload}.`)).toBe("not_authenticated");
        expect(await outcome(`${header}.${payload}.${signature}`)).toBe("not_authenticated");
      }
    });

    it.skipIf(algorithm === "HS256")(
      "an HS256 token whose HMAC secret is the public key is refused",
      async () => {
        const [jwk] = keys.jwks().keys;
        if (!jwk) throw new Error("no published key");
        const publicKey = createPublicKey({ key: { ...jwk }, format: "jwk" });
        const rawMembers = [jwk.x, jwk.y, jwk.n].filter((member) => member !== undefined);
        const secrets = [
          Buffer.concat(rawMembers.map(decodeSegment)),
          publicKey.export({ type: "spki", format: "der" }),
          Buffer.from(publicKey.export({ type: "spki", format: "pem" })),
          Buffer.from(JSON.stringify(jwk)),
        ];
        for (const secret of secrets) {
          const header = encodeJson({ alg: "HS256", kid, typ: "at+jwt" });
          const signingInput = `${header}.${encodeJson(claims())}`;
          const forged = `${signingInput}.${createHmac("sha256", secret).update(signingInput).digest("base64url")}`;
          // Control: a verifier that let the header pick the algorithm would take this token.
          const currentDate = new Date(clock.now());
          await expect(
            jwtVerify(forged, secret, { algorithms: ["HS256"], currentDate }),
          ).resolves.toBeDefined();
          expect(await outcome(forged)).toBe("not_authenticated");
        }
      },
    );

    it("a token signed with another algorithm's key under this kid is refused", async () => {
      for (const other of otherAlgorithms) {
        const header = encodeJson({ alg: other, kid, typ: "at+jwt" });
        const signingInput = `${header}.${encodeJson(claims())}`;
        const signature = signatureOf(other, attackerKeyPair(other).privateKey, signingInput);
        expect(await outcome(`${signingInput}.${signature}`)).toBe("not_authenticated");
      }
    });

    it("a valid token whose header alg is swapped to another algorithm is refused", async () => {
      const [, payload, signature] = valid.split(".");
      for (const other of [...otherAlgorithms, "HS256", "HS512", "RS512", "ES384", "PS256"]) {
        if (other === algorithm) continue;
        const header = encodeJson({ alg: other, kid, typ: "at+jwt" });
        expect(await outcome(`${header}.${payload}.${signature}`)).toBe("not_authenticated");
      }
    });

    it("a payload changed after signing is refused", async () => {
      const [header, , signature] = valid.split(".");
      const payload = decodeJwt(valid);
      for (const change of [{ sub: "someone-else" }, { exp: (payload.exp ?? 0) + 86_400 }]) {
        const tampered = encodeJson({ ...payload, ...change });
        expect(await outcome(`${header}.${tampered}.${signature}`)).toBe("not_authenticated");
      }
    });

    it("a signature made by another key of the same algorithm is refused", async () => {
      const header = encodeJson({ alg: algorithm, kid, typ: "at+jwt" });
      const signingInput = `${header}.${encodeJson(claims())}`;
      const signature =
        algorithm === "HS256"
          ? createHmac("sha256", `${JWT_SECRET}-other`).update(signingInput).digest("base64url")
          : signatureOf(algorithm, attackerKeyPair(algorithm).privateKey, signingInput);
      expect(await outcome(`${signingInput}.${signature}`)).toBe("not_authenticated");
    });

    it("a crit header is refused, even one jose would accept", async () => {
      expect(await outcome(forge({ crit: ["exp"], exp: 1 }))).toBe("not_authenticated");
      expect(await outcome(forge({ crit: [] }))).toBe("not_authenticated");
      expect(await outcome(forge({ crit: ["b64"], b64: true }))).toBe("not_authenticated");
    });

    it("an unencoded payload (b64: false) is refused", async () => {
      expect(await outcome(forge({ b64: false }))).toBe("not_authenticated");
    });

    it("a wrong or missing typ is refused", async () => {
      for (const typ of [
        "JWT",
        "application/jwt",
        "refresh+jwt",
        "at+jwt ",
        "application/at+jwt+x",
        1,
        undefined,
      ]) {
        expect(await outcome(forge({ typ }))).toBe("not_authenticated");
      }
    });

    it("a signature in non-canonical base64url is refused", async () => {
      const [header, payload, signature = ""] = valid.split(".");
      expect(await outcome(`${header}.${payload}.${respell(signature)}`)).toBe("not_authenticated");
    });

    it("a header in non-canonical base64url is refused, though the signature covers that spelling", async () => {
      const header = respell(segmentWithSpareBits({ alg: algorithm, kid, typ: "at+jwt" }));
      expect(await outcome(signedWithServerKey(header, encodeJson(claims())))).toBe("not_authenticated");
    });

    it("a payload in non-canonical base64url is refused, though the signature covers that spelling", async () => {
      const header = encodeJson({ alg: algorithm, kid, typ: "at+jwt" });
      const payload = respell(segmentWithSpareBits(claims()));
      expect(await outcome(signedWithServerKey(header, payload))).toBe("not_authenticated");
    });

    it("a padded segment is refused, though the signature covers it", async () => {
      const header = segmentWithSpareBits({ alg: algorithm, kid, typ: "at+jwt" });
      expect(await outcome(signedWithServerKey(`${header}==`, encodeJson(claims())))).toBe(
        "not_authenticated",
      );
    });

    it("a payload that is not UTF-8 is refused, though the signature covers it", async () => {
      const text = JSON.stringify(claims({ sub: "user-X" }));
      const bytes = Buffer.from(text);
      bytes[text.indexOf("user-X") + 5] = 0xff;
      const header = encodeJson({ alg: algorithm, kid, typ: "at+jwt" });
      expect(await outcome(signedWithServerKey(header, bytes.toString("base64url")))).toBe(
        "not_authenticated",
      );
    });

    it("a payload that is a JSON array, not an object, is refused", async () => {
      const header = encodeJson({ alg: algorithm, kid, typ: "at+jwt" });
      expect(await outcome(signedWithServerKey(header, encodeJson([claims()])))).toBe("not_authenticated");
    });

    it("an expired token is refused with token_expired", async () => {
      const exp = nowSeconds() - SKEW_SECONDS;
      expect(await outcome(forge({}, { iat: exp - 900, exp }))).toBe("token_expired");
    });

    it("a token that expired less than the clock skew ago is still accepted", async () => {
      const exp = nowSeconds() - SKEW_SECONDS + 1;
      expect(await outcome(forge({}, { iat: exp - 900, exp }))).toBe("accepted");
    });

    it("an exp that JSON reads as Infinity is refused", async () => {
      const header = encodeJson({ alg: algorithm, kid, typ: "at+jwt" });
      const text = JSON.stringify(claims({ exp: 0 })).replace('"exp":0', '"exp":1e999');
      expect(JSON.parse(text).exp).toBe(Number.POSITIVE_INFINITY);
      const payload = Buffer.from(text).toString("base64url");
      expect(await outcome(signedWithServerKey(header, payload))).toBe("not_authenticated");
    });

    it("a token whose nbf is in the future beyond the skew is refused", async () => {
      expect(await outcome(forge({}, { nbf: nowSeconds() + SKEW_SECONDS + 1 }))).toBe("not_authenticated");
    });

    it("a token whose nbf is in the future within the skew is accepted", async () => {
      expect(await outcome(forge({}, { nbf: nowSeconds() + SKEW_SECONDS }))).toBe("accepted");
    });

    it("a token without iat is refused", async () => {
      expect(await outcome(forge({}, { iat: undefined }))).toBe("not_authenticated");
    });

    it("a token whose exp is a string is refused", async () => {
      expect(await outcome(forge({}, { exp: String(nowSeconds() + 900) }))).toBe("not_authenticated");
    });

    it("an audience list without Latchkey is refused", async () => {
      expect(await outcome(forge({}, { aud: ["another-api"] }))).toBe("not_authenticated");
    });
  });
});

describe("decoding a compact JWS", () => {
  const header = encodeJson({ alg: "EdDSA", kid: "k", typ: "at+jwt" });
  const payload = encodeJson({ sub: "u" });
  const signature = Buffer.alloc(64, 7).toString("base64url");

  it("takes exactly three segments", () => {
    expect(decodeCompact(`${header}.${payload}.${signature}`)).toBeDefined();
    expect(decodeCompact(`${header}.${payload}`)).toBeUndefined();
    expect(decodeCompact(`${header}.${payload}.${signature}.${signature}`)).toBeUndefined();
    expect(decodeCompact(`${header}..${signature}`)).toBeUndefined();
  });

  it("refuses the standard base64 alphabet and whitespace", () => {
    const standard = Buffer.from(JSON.stringify({ alg: "EdDSA", kid: "??>" })).toString("base64");
    expect(standard).toMatch(/[+/]/);
    expect(decodeCompact(`${standard.replace(/=+$/, "")}.${payload}.${signature}`)).toBeUndefined();
    expect(decodeCompact(`${header}.${payload} .${signature}`)).toBeUndefined();
    expect(decodeCompact(`${header}.${payload}.${signature}\n`)).toBeUndefined();
  });

  it("refuses a header that is not a JSON object", () => {
    for (const value of [[], "text", null, 1]) {
      expect(decodeCompact(`${encodeJson(value)}.${payload}.${signature}`)).toBeUndefined();
    }
  });
});
