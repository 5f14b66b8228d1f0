import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import { randomId } from "../security/crypto.js";
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
  /** ACCESS_TOKEN_EMAIL_CLAIM: also put the user's address in the token (default off: tokens leak into logs). */
  includeEmail?: boolean;
}

interface VerifiedToken extends AccessClaims {
  /** The key that signed it: a revoked key's tokens are refused even from the cache. */
  kid: string;
}

/** Headers that would let a token name its own key; never honoured (SECURITY.md 24). */
const KEY_CARRYING_HEADERS = ["jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256"];

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function createAccessTokens(options: AccessTokenOptions) {
  const { keys, clock } = options;
  const cacheSize = options.cacheSize ?? 10_000;
  const verified = new Map<string, VerifiedToken>();
  const skewMs = options.clockSkewSeconds * 1000;

  /**
   * `email` is used only with `includeEmail`; `amr` (RFC 8176) says how the session was proven,
   * so relying parties may ask for a passkey. Every token gets a random `jti` (RFC 9068).
   */
  async function sign({
    userId,
    sessionId,
    email,
    amr,
  }: {
    userId: string;
    sessionId: string;
    email?: string | undefined;
    amr?: string[] | undefined;
  }) {
    const nowSeconds = Math.floor(clock.now() / 1000);
    const expiresAtSeconds = nowSeconds + options.ttlSeconds;
    // Not awaited: signing runs inside sign-in transactions, and on SQLite a query on another
    // executor would wait for that transaction forever. A token signed with a key revoked in
    // the last second is refused anyway, since verification awaits the check.
    keys.checkRevocations().catch(() => undefined);
    const { kid, key } = keys.currentSigningKey();
    const claims = {
      sid: sessionId,
      ...(amr ? { amr } : {}),
      ...(options.includeEmail && email !== undefined ? { email } : {}),
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: keys.algorithm, kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject(userId)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(expiresAtSeconds)
      .setJti(randomId())
      .sign(key);
    return { token, expiresAt: expiresAtSeconds * 1000 };
  }

  function remember(token: string, claims: VerifiedToken) {
    if (verified.size >= cacheSize) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
    verified.set(token, claims);
  }

  async function verifyUncached(token: string): Promise<VerifiedToken> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new AppError("not_authenticated");
    }
    if (KEY_CARRYING_HEADERS.some((name) => name in header)) throw new AppError("not_authenticated");
    const kid = header.kid;
    const key = typeof kid === "string" ? await keys.resolveVerificationKey(kid) : undefined;
    if (!key || typeof kid !== "string") throw new AppError("not_authenticated");
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
      return { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp * 1000, kid };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AppError("token_expired");
      if (error instanceof AppError) throw error;
      throw new AppError("not_authenticated", { cause: error });
    }
  }

  /**
   * Verifies an access token: pinned algorithm, exact `kid`, issuer, audience, `typ`,
   * expiry with bounded skew. A token already verified is answered from memory until it
   * expires or its key is revoked. Throws `not_authenticated` or `token_expired`.
   */
  async function verify(token: string): Promise<AccessClaims> {
    const cached = verified.get(token);
    if (cached) {
      await keys.checkRevocations();
      if (!keys.findVerificationKey(cached.kid)) {
        verified.delete(token);
        throw new AppError("not_authenticated");
      }
      if (cached.expiresAt + skewMs > clock.now()) return cached;
      verified.delete(token);
      throw new AppError("token_expired");
    }
    if (token.length > 4096 || !JWT_SHAPE.test(token)) throw new AppError("not_authenticated");
    const claims = await verifyUncached(token);
    remember(token, claims);
    return claims;
  }

  return { sign, verify, includesEmail: options.includeEmail === true, forget: () => verified.clear() };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
