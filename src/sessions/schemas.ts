import { z } from "zod";
import { opaqueId } from "../http/schemas.js";

const isoTime = z.string().meta({ example: "2026-11-25T10:00:00.000Z" });

// Signed in first: the hot path's answer matches the first branch the serializer tries.
export const sessionResponse = z
  .union([
    z.object({
      email: z.string(),
      user_id: z.string(),
      session_id: z.string(),
      user_created_at: isoTime,
      signed_in_at: isoTime,
      amr: z
        .array(z.string())
        .meta({ description: "RFC 8176 methods: `otp` (email), `hwk`/`swk` + `user` (passkey)." }),
    }),
    z.object({ email: z.null() }),
  ])
  .meta({ id: "CurrentSession" });

export const protectedResponse = z
  .object({ email: z.string(), message: z.literal("Protected content") })
  .meta({ id: "ProtectedContent" });

export const refreshBody = z
  .object({
    refresh_token: z
      .string()
      .max(4096)
      .optional()
      .meta({ description: "For non-browser clients; browsers send the refresh cookie instead." }),
  })
  .meta({ id: "RefreshRequest" })
  // A POST without a body (no content-type) arrives as null: the body is optional.
  .nullish();

/** Who may call /refresh: the browser's refresh cookie, or no credential but a body token. */
export const refreshSecurity: Record<string, string[]>[] = [{ refreshCookie: [] }, {}];

export const refreshResponse = z
  .object({
    expires_in: z.number().int(),
    access_token: z.string().optional(),
    refresh_token: z.string().optional(),
    token_type: z.literal("Bearer").optional(),
  })
  .meta({ id: "RefreshResult" });

export const logoutResponse = z.object({ message: z.literal("Logged out") }).meta({ id: "LoggedOut" });

export const logoutAllBody = z
  .object({ keep_current: z.boolean().default(false) })
  .meta({ id: "LogoutAllRequest" })
  .nullish();

export const logoutAllResponse = z.object({ revoked: z.number().int() }).meta({ id: "LogoutAllResult" });

export const sessionListResponse = z
  .object({
    sessions: z.array(
      z.object({
        id: z.string(),
        created_at: isoTime,
        last_used_at: isoTime,
        expires_at: isoTime,
        ip: z.string().nullable(),
        user_agent: z.string().nullable(),
        current: z.boolean(),
      }),
    ),
  })
  .meta({ id: "SessionList" });

export const sessionIdParams = z.object({ id: opaqueId });
export const revokedResponse = z.object({ revoked: z.literal(true) }).meta({ id: "Revoked" });

export const jwksResponse = z
  .object({
    keys: z.array(
      z.object({
        kty: z.string(),
        crv: z.string().optional().meta({ description: "OKP and EC keys." }),
        x: z.string().optional().meta({ description: "OKP and EC keys." }),
        y: z.string().optional().meta({ description: "EC keys." }),
        n: z.string().optional().meta({ description: "RSA keys." }),
        e: z.string().optional().meta({ description: "RSA keys." }),
        kid: z.string(),
        alg: z.enum(["EdDSA", "ES256", "RS256"]),
        use: z.literal("sig"),
      }),
    ),
  })
  .meta({ id: "JWKS" });
