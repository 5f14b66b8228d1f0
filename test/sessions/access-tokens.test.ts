import { createPublicKey } from "node:crypto";
import {
  base64url,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JWTPayload,
  SignJWT,
} from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/harness.js";
import { bearer, getWith, postWith, signInForTokens } from "./helpers.js";

const encodePart = (value: unknown) => base64url.encode(JSON.stringify(value));

describe("access token verification (RFC 8725)", () => {
  let testApp: TestApp;
  let valid: string;
  let claims: JWTPayload;
  let kid: string;

  beforeEach(async () => {
    testApp = await createTestApp();
    valid = (await signInForTokens(testApp, "alice@example.com")).access_token;
    claims = decodeJwt(valid);
    kid = decodeProtectedHeader(valid).kid!;
  });
  afterEach(async () => testApp.close());

  /** A token signed with the server's real signing key: only the named part is wrong. */
  async function signWithServerKey(
    overrides: { payload?: Partial<JWTPayload>; header?: Record<string, unknown> } = {},
  ) {
    const { key } = testApp.services.keys.currentSigningKey();
    const payload = { ...claims, ...overrides.payload };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    return new SignJWT(payload)
      .setProtectedHeader({ alg: "EdDSA", kid, typ: "at+jwt", ...overrides.header })
      .sign(key);
  }

  async function expectRefused(token: string, code = "not_authenticated") {
    const response = await getWith(testApp, "/api/auth/protected", bearer(token));
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe(code);
  }

  const nowSeconds = () => Math.floor(testApp.clock.now() / 1000);

  it("a token signed with the server key and the right claims is accepted (control)", async () => {
    const token = await signWithServerKey();
    expect((await getWith(testApp, "/api/auth/protected", bearer(token))).statusCode).toBe(200);
  });

  it("SECURITY 27: the token carries sub, sid, iss, aud, iat, exp, jti, amr and a kid, and no email", async () => {
    expect(Object.keys(claims).sort()).toEqual(["amr", "aud", "exp", "iat", "iss", "jti", "sid", "sub"]);
    expect(claims.amr).toEqual(["otp"]);
    expect(decodeProtectedHeader(valid)).toEqual({ alg: "EdDSA", kid, typ: "at+jwt" });
    expect(valid).not.toContain(base64url.encode("alice@example.com"));
  });

  it("two tokens issued in the same second for one session differ by their random jti (RFC 9068)", async () => {
    const tokens = await signInForTokens(testApp, "bob@example.com");
    // A retry inside the grace window gets a second access token for the same session, same second.
    const first = await postWith(testApp, "/api/auth/refresh", { refresh_token: tokens.refresh_token });
    const retry = await postWith(testApp, "/api/auth/refresh", { refresh_token: tokens.refresh_token });
    const [a, b] = [first, retry].map((response) => decodeJwt(response.json().access_token));
    expect(a?.sid).toBe(b?.sid);
    expect(a?.iat).toBe(b?.iat);
    expect(a?.jti).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(a?.jti).not.toBe(b?.jti);
  });

  it("SECURITY 23: an HS256 token signed with the Ed25519 public key bytes as the HMAC secret is refused", async () => {
    const jwks = (await getWith(testApp, "/.well-known/jwks.json")).json();
    const jwk = jwks.keys[0];
    const publicKeyBytes = base64url.decode(jwk.x);
    const pem = createPublicKey({ key: jwk, format: "jwk" }).export({
      type: "spki",
      format: "pem",
    }) as string;
    for (const secret of [
      publicKeyBytes,
      new TextEncoder().encode(JSON.stringify(jwk)),
      new TextEncoder().encode(pem),
    ]) {
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", kid, typ: "at+jwt" })
        .sign(secret);
      await expectRefused(forged);
    }
  });

  it("SECURITY 22: alg none is refused, with or without a signature part", async () => {
    const header = encodePart({ alg: "none", kid, typ: "at+jwt" });
    const payload = encodePart(claims);
    await expectRefused(`${header}.${payload}.`);
    await expectRefused(`${header}.${payload}.${valid.split(".")[2]}`);
    const upper = encodePart({ alg: "NONE", kid, typ: "at+jwt" });
    await expectRefused(`${upper}.${payload}.${valid.split(".")[2]}`);
  });

  it("SECURITY 22: a tampered payload is refused", async () => {
    const [header, , signature] = valid.split(".");
    const tampered = encodePart({ ...claims, sub: "someone-else" });
    await expectRefused(`${header}.${tampered}.${signature}`);
    const extended = encodePart({ ...claims, exp: (claims.exp ?? 0) + 86_400 });
    await expectRefused(`${header}.${extended}.${signature}`);
  });

  it("SECURITY 22: a tampered header is refused", async () => {
    const [, payload, signature] = valid.split(".");
    const header = encodePart({ alg: "EdDSA", kid, typ: "at+jwt", extra: 1 });
    await expectRefused(`${header}.${payload}.${signature}`);
  });

  it("SECURITY 22: another algorithm than the deployment's one is refused", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" })
      .sign(privateKey);
    await expectRefused(token);
  });

  it("SECURITY 24: a token carrying its own key in a jwk header is refused", async () => {
    const attacker = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const jwk = await exportJWK(attacker.publicKey);
    for (const header of [{ jwk }, { jwk, kid }]) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: "EdDSA", typ: "at+jwt", ...header })
        .sign(attacker.privateKey);
      await expectRefused(token);
    }
  });

  it("SECURITY 24: jku, jwk, x5u and x5c headers are refused even on a correctly signed token", async () => {
    const attacker = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const headers = [
      { jku: "https://evil.example/jwks.json" },
      { jwk: await exportJWK(attacker.publicKey) },
      { x5u: "https://evil.example/cert.pem" },
      { x5c: ["MIIB"] },
    ];
    for (const header of headers) await expectRefused(await signWithServerKey({ header }));
  });

  it("SECURITY 24: kid is an exact lookup only", async () => {
    for (const other of [kid.toUpperCase(), `${kid} `, `${kid}x`, kid.slice(0, -1), "../../etc/passwd", ""]) {
      if (other === kid) continue;
      await expectRefused(await signWithServerKey({ header: { kid: other } }));
    }
    const { kid: _, ...noKid } = { kid, alg: "EdDSA", typ: "at+jwt" };
    const [, payload, signature] = valid.split(".");
    await expectRefused(`${encodePart(noKid)}.${payload}.${signature}`);
  });

  it("SECURITY 25: a wrong issuer is refused", async () => {
    await expectRefused(await signWithServerKey({ payload: { iss: "https://evil.example" } }));
  });

  it("SECURITY 25: a wrong audience is refused", async () => {
    await expectRefused(await signWithServerKey({ payload: { aud: "someone-else" } }));
  });

  it("SECURITY 25: a wrong or missing typ is refused", async () => {
    await expectRefused(await signWithServerKey({ header: { typ: "JWT" } }));
    await expectRefused(await signWithServerKey({ header: { typ: "refresh+jwt" } }));
    await expectRefused(await signWithServerKey({ header: { typ: undefined } }));
  });

  it("SECURITY 25: a token without exp is refused", async () => {
    await expectRefused(await signWithServerKey({ payload: { exp: undefined } }));
  });

  it("SECURITY 25: an iat in the future beyond the 30 s skew is refused", async () => {
    await expectRefused(await signWithServerKey({ payload: { iat: nowSeconds() + 120 } }));
  });

  it("SECURITY 25: an iat in the future within the skew is accepted", async () => {
    const token = await signWithServerKey({ payload: { iat: nowSeconds() + 20 } });
    expect((await getWith(testApp, "/api/auth/protected", bearer(token))).statusCode).toBe(200);
  });

  it("SECURITY 25: a future nbf is honoured", async () => {
    await expectRefused(await signWithServerKey({ payload: { nbf: nowSeconds() + 300 } }));
  });

  it("SECURITY 25: an expired token is refused 401 token_expired", async () => {
    const token = await signWithServerKey({ payload: { iat: nowSeconds() - 1000, exp: nowSeconds() - 60 } });
    await expectRefused(token, "token_expired");
  });

  it("SECURITY 25: a token whose sid is unknown is refused", async () => {
    await expectRefused(await signWithServerKey({ payload: { sid: "A".repeat(22) } }));
  });

  it("SECURITY 25: a token pairing one user's sub with another user's sid is refused", async () => {
    testApp.clock.advanceSeconds(1);
    const bob = await signInForTokens(testApp, "bob@example.com");
    await expectRefused(
      await signWithServerKey({ payload: { sid: decodeJwt(bob.access_token).sid as string } }),
    );
  });

  it("SECURITY 25: a token without sid is refused", async () => {
    await expectRefused(await signWithServerKey({ payload: { sid: undefined } }));
  });

  it("a refused forgery does not poison the verified-token cache for the real token", async () => {
    const [header, , signature] = valid.split(".");
    await expectRefused(`${header}.${encodePart({ ...claims, sub: "x" })}.${signature}`);
    expect((await getWith(testApp, "/api/auth/protected", bearer(valid))).statusCode).toBe(200);
  });
});

describe("the opt-in email claim (ACCESS_TOKEN_EMAIL_CLAIM=true)", () => {
  it("puts the signed-in address in the token as `email`", async () => {
    const testApp = await createTestApp({ env: { ACCESS_TOKEN_EMAIL_CLAIM: "true" } });
    try {
      const tokens = await signInForTokens(testApp, "Alice@Example.com");
      expect(decodeJwt(tokens.access_token).email).toBe("alice@example.com");
      const refreshed = await postWith(testApp, "/api/auth/refresh", { refresh_token: tokens.refresh_token });
      expect(decodeJwt(refreshed.json().access_token).email).toBe("alice@example.com");
    } finally {
      await testApp.close();
    }
  });
});

describe("HS256 mode (JWT_SECRET)", () => {
  const JWT_SECRET = "a-jwt-secret-that-is-at-least-32-bytes-long";
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp({ env: { JWT_SECRET } });
  });
  afterEach(async () => testApp.close());

  it("SECURITY 22: tokens are HS256, carry a kid and verify", async () => {
    const tokens = await signInForTokens(testApp, "alice@example.com");
    const header = decodeProtectedHeader(tokens.access_token);
    expect(header.alg).toBe("HS256");
    expect(header.kid).toEqual(expect.any(String));
    expect((await getWith(testApp, "/api/auth/protected", bearer(tokens.access_token))).statusCode).toBe(200);
  });

  it("SECURITY 26: the JWKS publishes no keys", async () => {
    const response = await getWith(testApp, "/.well-known/jwks.json");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ keys: [] });
  });

  it("SECURITY 22: another HMAC algorithm with the same secret is refused", async () => {
    const tokens = await signInForTokens(testApp, "alice@example.com");
    const { kid } = decodeProtectedHeader(tokens.access_token);
    const token = await new SignJWT(decodeJwt(tokens.access_token))
      .setProtectedHeader({ alg: "HS512", kid, typ: "at+jwt" })
      .sign(new TextEncoder().encode(JWT_SECRET));
    const response = await getWith(testApp, "/api/auth/protected", bearer(token));
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("not_authenticated");
  });

  it("SECURITY 22: an EdDSA token is refused in HS256 mode", async () => {
    const tokens = await signInForTokens(testApp, "alice@example.com");
    const { kid } = decodeProtectedHeader(tokens.access_token);
    const attacker = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const token = await new SignJWT(decodeJwt(tokens.access_token))
      .setProtectedHeader({ alg: "EdDSA", kid, typ: "at+jwt" })
      .sign(attacker.privateKey);
    const response = await getWith(testApp, "/api/auth/protected", bearer(token));
    expect(response.statusCode).toBe(401);
  });

  it("SECURITY 27: the kid does not reveal the secret", async () => {
    const tokens = await signInForTokens(testApp, "alice@example.com");
    expect(decodeProtectedHeader(tokens.access_token).kid).not.toContain(JWT_SECRET.slice(0, 8));
  });

  it("SECURITY 27: a short JWT_SECRET stops a production server from starting", async () => {
    await expect(
      createTestApp({
        env: {
          NODE_ENV: "production",
          MAIL_FROM: "Acme <no-reply@acme.example>",
          JWT_SECRET: "too-short",
          PUBLIC_URL: "https://auth.example.com",
          SMTP_URL: "smtp://localhost:2525",
        },
      }),
    ).rejects.toThrow(/JWT_SECRET/);
  });
});
