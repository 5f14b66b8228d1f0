import { createServer, type IncomingMessage, type Server } from "node:http";
import { createRemoteJWKSet, errors, jwtVerify } from "jose";

/**
 * Another Node service trusting Latchkey's access tokens without sharing a secret: it
 * fetches the public keys from Latchkey's JWKS URL (cached, re-fetched when an unknown
 * `kid` shows up after a rotation) and verifies each token locally.
 *
 * Revocation: a local check cannot see a logout. A token stays valid here until it
 * expires (15 minutes by default). Where that matters, also ask Latchkey
 * (`GET /api/auth/session` with the same Bearer token) before acting.
 */

export interface LatchkeyVerifierOptions {
  /** Latchkey's PUBLIC_URL, e.g. https://auth.example.com */
  latchkeyUrl: string;
  /** Latchkey's JWT_ISSUER (default: PUBLIC_URL's origin). */
  issuer: string;
  /** Latchkey's JWT_AUDIENCE (default: "latchkey"). */
  audience: string;
}

export interface LatchkeyUser {
  userId: string;
  sessionId: string;
}

/** Returns a function that turns an access token into its user, or throws. */
export function createLatchkeyVerifier(options: LatchkeyVerifierOptions) {
  const jwks = createRemoteJWKSet(new URL("/.well-known/jwks.json", options.latchkeyUrl));
  return async function verifyAccessToken(token: string): Promise<LatchkeyUser> {
    const { payload } = await jwtVerify(token, jwks, {
      algorithms: ["EdDSA"], // pin the algorithm: never let the token choose
      issuer: options.issuer,
      audience: options.audience,
      typ: "at+jwt", // an access token, not some other JWT
      clockTolerance: 30,
      requiredClaims: ["exp", "iat", "sub", "sid"],
    });
    return { userId: String(payload.sub), sessionId: String(payload.sid) };
  };
}

function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice(7).trim() || undefined : undefined;
}

/** A tiny API: `GET /hello` answers the caller's user id, or 401. */
export function createExampleServer(options: LatchkeyVerifierOptions): Server {
  const verifyAccessToken = createLatchkeyVerifier(options);
  return createServer(async (request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "GET" || request.url !== "/hello") return send(404, { error: "not_found" });
    const token = bearerToken(request);
    if (!token) return send(401, { error: "not_authenticated" });
    try {
      const user = await verifyAccessToken(token);
      return send(200, { message: "hello", user_id: user.userId });
    } catch (error) {
      if (error instanceof errors.JOSEError) {
        const code = error instanceof errors.JWTExpired ? "token_expired" : "not_authenticated";
        return send(401, { error: code });
      }
      return send(503, { error: "latchkey_unreachable" }); // e.g. the JWKS could not be fetched
    }
  });
}
