import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import type { SigningKeys } from "./signing-keys.js";

export const ACCESS_TOKEN_TYPE = "at+jwt";

export interface AccessClaims {
  userId: string;
  sessionId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface AccessTokenOptions {
  keys: SigningKeys;
  clock: Clock;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  clockSkewSeconds: number;
  /** How many verified tokens to remember; the hot path then costs one Map lookup. */
  cacheSize?: number;
}

/** Headers that would let a token name its own key; never honoured (SECURITY.md 24). */
const KEY_CARRYING_HEADERS = ["jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256"];

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function createAccessTokens(options: AccessTokenOptions) {
  const { keys, clock } = options;
  const cacheSize = options.cacheSize ?? 10_000;
  const verified = new Map<string, AccessClaims>();
  const skewMs = options.clockSkewSeconds * 1000;

  async function sign({ userId, sessionId }: { userId: string; sessionId: string }) {
    const nowSeconds = Math.floor(clock.now() / 1000);
    const expiresAtSeconds = nowSeconds + options.ttlSeconds;
    const { kid, key } = keys.currentSigningKey();
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: keys.algorithm, kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject(userId)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(expiresAtSeconds)
      .sign(key);
    return { token, expiresAt: expiresAtSeconds * 1000 };
  }

  function remember(token: string, claims: AccessClaims) {
    if (verified.size >= cacheSize) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
    verified.set(token, claims);
  }

  async function verifyUncached(token: string): Promise<AccessClaims> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new AppError("not_authenticated");
    }
    if (KEY_CARRYING_HEADERS.some((name) => name in header)) throw new AppError("not_authenticated");
    const key = typeof header.kid === "string" ? await keys.resolveVerificationKey(header.kid) : undefined;
    if (!key) throw new AppError("not_authenticated");
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [keys.algorithm],
        issuer: options.issuer,
        audience: options.audience,
        typ: ACCESS_TOKEN_TYPE,
        clockTolerance: options.clockSkewSeconds,
        currentDate: new Date(clock.now()),
        requiredClaims: ["exp", "iat", "sub", "sid"],
      });
      if (
        typeof payload.sid !== "string" ||
        typeof payload.sub !== "string" ||
        typeof payload.exp !== "number"
      ) {
        throw new AppError("not_authenticated");
      }
      if (typeof payload.iat === "number" && payload.iat * 1000 > clock.now() + skewMs) {
        throw new AppError("not_authenticated");
      }
      return { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp * 1000 };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AppError("token_expired");
      if (error instanceof AppError) throw error;
      throw new AppError("not_authenticated", { cause: error });
    }
  }

  /**
   * Verifies an access token: pinned algorithm, exact `kid`, issuer, audience, `typ`,
   * expiry with bounded skew. A token already verified is answered from memory until it
   * expires. Throws `not_authenticated` or `token_expired`.
   */
  async function verify(token: string): Promise<AccessClaims> {
    const cached = verified.get(token);
    if (cached) {
      if (cached.expiresAt + skewMs > clock.now()) return cached;
      verified.delete(token);
      throw new AppError("token_expired");
    }
    if (token.length > 4096 || !JWT_SHAPE.test(token)) throw new AppError("not_authenticated");
    const claims = await verifyUncached(token);
    remember(token, claims);
    return claims;
  }

  return { sign, verify, forget: () => verified.clear() };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
