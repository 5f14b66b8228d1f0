import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import { randomId } from "../security/crypto.js";
import {
  decodeCompact,
  decodeJsonObject,
  hasPlainHeaderFor,
  type JsonObject,
  signCompact,
  verifySignature,
} from "./compact-jws.js";
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

/** Claims a token must carry, whatever their values; `nbf` is honoured when present. */
const REQUIRED_CLAIMS = ["iss", "aud", "sub", "sid", "iat", "exp"];

/** `typ` compared as jose compares it (RFC 7515 4.1.9): case-insensitive, `application/` optional. */
function mediaType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.includes("/") ? lower : `application/${lower}`;
}

const AT_JWT_MEDIA_TYPE = mediaType(ACCESS_TOKEN_TYPE);

/** A JSON number that is a date; JSON.parse turns 1e999 into Infinity, which never expires. */
function isNumericDate(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * The header of a Latchkey access token: the pinned algorithm, no extension, a `kid` to
 * look up, `typ` at+jwt, and no header that names its own key.
 */
function isAccessTokenHeader(
  header: JsonObject,
  algorithm: SigningKeys["algorithm"],
): header is JsonObject & { kid: string } {
  return (
    hasPlainHeaderFor(header, algorithm) &&
    !KEY_CARRYING_HEADERS.some((name) => Object.hasOwn(header, name)) &&
    typeof header.kid === "string" &&
    typeof header.typ === "string" &&
    mediaType(header.typ) === AT_JWT_MEDIA_TYPE
  );
}

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
    const token = signCompact(
      keys.algorithm,
      key,
      { kid, typ: ACCESS_TOKEN_TYPE },
      {
        ...claims,
        iss: options.issuer,
        aud: options.audience,
        sub: userId,
        iat: nowSeconds,
        exp: expiresAtSeconds,
        jti: randomId(),
      },
    );
    // The client's first call with this token would verify the signature just made: it is
    // remembered as verified instead, with the claims that check would have produced.
    remember(token, { userId, sessionId, expiresAt: expiresAtSeconds * 1000, kid });
    return { token, expiresAt: expiresAtSeconds * 1000 };
  }

  function remember(token: string, claims: VerifiedToken) {
    if (verified.size >= cacheSize) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
    verified.set(token, claims);
  }

  function hasOurAudience(aud: unknown): boolean {
    return aud === options.audience || (Array.isArray(aud) && aud.includes(options.audience));
  }

  /** The checks jose's jwtVerify made, in its order, plus Latchkey's own (`sid`, a future `iat`). */
  function checkClaims(payload: JsonObject, kid: string): VerifiedToken {
    const hasEveryClaim = REQUIRED_CLAIMS.every((name) => Object.hasOwn(payload, name));
    if (!hasEveryClaim) throw new AppError("not_authenticated");
    const { iss, aud, sub, sid, iat, nbf, exp } = payload;
    if (iss !== options.issuer || !hasOurAudience(aud)) throw new AppError("not_authenticated");
    if (!isNumericDate(iat) || !isNumericDate(exp) || (nbf !== undefined && !isNumericDate(nbf))) {
      throw new AppError("not_authenticated");
    }
    // Whole seconds as jose counts them: `exp` equal to now minus the skew has expired.
    const now = clock.now();
    const nowSeconds = Math.floor(now / 1000);
    const skewSeconds = options.clockSkewSeconds;
    if (nbf !== undefined && nbf > nowSeconds + skewSeconds) throw new AppError("not_authenticated");
    if (exp <= nowSeconds - skewSeconds) throw new AppError("token_expired");
    if (typeof sub !== "string" || typeof sid !== "string") throw new AppError("not_authenticated");
    if (iat * 1000 > now + skewMs) throw new AppError("not_authenticated");
    return { userId: sub, sessionId: sid, expiresAt: exp * 1000, kid };
  }

  async function verifyUncached(token: string): Promise<VerifiedToken> {
    const jws = decodeCompact(token);
    if (!jws || !isAccessTokenHeader(jws.header, keys.algorithm)) throw new AppError("not_authenticated");
    const { kid } = jws.header;
    const key = await keys.resolveVerificationKey(kid);
    if (!key || !verifySignature(jws, keys.algorithm, key)) throw new AppError("not_authenticated");
    const payload = decodeJsonObject(jws.payloadSegment);
    if (!payload) throw new AppError("not_authenticated");
    return checkClaims(payload, kid);
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
