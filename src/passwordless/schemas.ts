import { z } from "zod";
import { errorResponses, opaqueId } from "../http/schemas.js";
import { canonicalizeEmail } from "../users/index.js";

/**
 * One schema per contract: validation, types, serialization and OpenAPI. The seed's
 * camelCase aliases are folded into snake_case here, once; two spellings of one field
 * with different values are a 422 (SECURITY.md 40). Unknown fields are dropped.
 */

type Aliases = Record<string, string>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Folds `camelCase` aliases into their snake_case names before validation. */
function withAliases<T extends z.ZodType>(aliases: Aliases, schema: T) {
  return z.preprocess((input, context) => {
    if (!isPlainObject(input)) return input;
    const folded: Record<string, unknown> = { ...input };
    for (const [camel, snake] of Object.entries(aliases)) {
      if (!(camel in folded)) continue;
      if (snake in folded && folded[snake] !== folded[camel]) {
        context.addIssue({ code: "custom", path: [camel], message: `conflicts with ${snake}`, input });
      }
      folded[snake] ??= folded[camel];
      delete folded[camel];
    }
    return folded;
  }, schema);
}

/** A required aliased field reports the seed's camelCase name when it is missing. */
function requireField(
  value: Record<string, unknown>,
  snake: string,
  camel: string,
  context: z.RefinementCtx,
) {
  if (value[snake] === undefined)
    context.addIssue({ code: "custom", path: [camel], message: "Field required" });
}

const email = z
  .string()
  .max(320)
  .transform((value, context) => {
    const canonical = canonicalizeEmail(value);
    if (!canonical) {
      context.addIssue({ code: "custom", message: "value is not a valid email address" });
      return z.NEVER;
    }
    return canonical;
  })
  .meta({ example: "alice@example.com", description: "One bare address; canonicalized (lower-cased)." });

const template = z.enum(["SIGNIN", "SIGNUP"]);
const passwordlessType = z.enum(["OTP", "LINK", "LINK_OTP"]);
const linkToken = z.string().regex(/^[A-Za-z0-9_-]{22,128}$/, "invalid link token");
/** The `auth_request_id` a magic link carries next to its token; a landing page sends both. */
const linkAuthRequestId = opaqueId.optional().meta({
  description: "The magic link's `auth_request_id` parameter, when it has one (Scalekit links do).",
});
const tokenDelivery = z.enum(["cookie", "body"]).default("cookie").meta({
  description: "`body` returns the token pair in the JSON for non-browser clients and sets no cookies.",
});

export const sendBody = withAliases(
  { magiclinkAuthUri: "magiclink_auth_uri", expiresIn: "expires_in" },
  z.object({
    email,
    magiclink_auth_uri: z
      .string()
      .max(2048)
      .optional()
      .meta({ example: "http://localhost:8000/verify-magic-link" }),
    template: template.default("SIGNIN"),
    state: z.string().max(1000).nullable().optional(),
    expires_in: z
      .number()
      .int()
      .min(60)
      .max(600)
      .optional()
      .meta({ description: "Seconds, 60..600; default 300." }),
  }),
).meta({ id: "SendPasswordlessRequest" });

export const challengeResponse = z
  .object({
    auth_request_id: z.string().meta({ example: "q0Yd3pQ2bq3m8c5n4vYb9A" }),
    expires_at: z.number().int().meta({ description: "Unix seconds.", example: 1767225600 }),
    expires_in: z.number().int().meta({ example: 300 }),
    passwordless_type: passwordlessType,
  })
  .meta({ id: "PasswordlessChallenge" });

export const resendBody = withAliases(
  { authRequestId: "auth_request_id" },
  z
    .object({ auth_request_id: opaqueId.optional() })
    .superRefine((value, context) => requireField(value, "auth_request_id", "authRequestId", context))
    .transform((value) => ({ auth_request_id: value.auth_request_id as string })),
).meta({ id: "ResendPasswordlessRequest" });

export function verifyOtpBody(otpLength: number) {
  return withAliases(
    { authRequestId: "auth_request_id", tokenDelivery: "token_delivery" },
    z
      .object({
        code: z
          .string()
          .regex(new RegExp(`^[0-9]{${otpLength}}$`), `must be ${otpLength} digits`)
          .meta({ example: "042137" }),
        auth_request_id: opaqueId.optional(),
        token_delivery: tokenDelivery,
      })
      .superRefine((value, context) => requireField(value, "auth_request_id", "authRequestId", context))
      .transform((value) => ({ ...value, auth_request_id: value.auth_request_id as string })),
  ).meta({ id: "VerifyOtpRequest" });
}

export const verifyLinkBody = withAliases(
  { linkToken: "link_token", authRequestId: "auth_request_id", tokenDelivery: "token_delivery" },
  z
    .object({
      link_token: linkToken.optional(),
      auth_request_id: linkAuthRequestId,
      confirm: z.boolean().default(false).meta({
        description: "Set after the person clicked to sign in on a browser that did not start the flow.",
      }),
      token_delivery: tokenDelivery,
    })
    .superRefine((value, context) => requireField(value, "link_token", "linkToken", context))
    .transform((value) => ({ ...value, link_token: value.link_token as string })),
).meta({ id: "VerifyMagicLinkRequest" });

export const approveLinkBody = withAliases(
  { linkToken: "link_token", authRequestId: "auth_request_id" },
  z
    .object({ link_token: linkToken.optional(), auth_request_id: linkAuthRequestId })
    .superRefine((value, context) => requireField(value, "link_token", "linkToken", context))
    .transform((value) => ({ ...value, link_token: value.link_token as string })),
).meta({ id: "ApproveMagicLinkRequest" });

export const completeApprovalBody = withAliases(
  { authRequestId: "auth_request_id", tokenDelivery: "token_delivery" },
  z
    .object({ auth_request_id: opaqueId.optional(), token_delivery: tokenDelivery })
    .superRefine((value, context) => requireField(value, "auth_request_id", "authRequestId", context))
    .transform((value) => ({ ...value, auth_request_id: value.auth_request_id as string })),
).meta({ id: "CompleteApprovalRequest" });

export const signInResponse = z
  .object({
    email: z.string().meta({ example: "alice@example.com" }),
    state: z.string().nullable(),
    template,
    passwordless_type: passwordlessType,
    is_new_user: z.boolean(),
    access_token: z.string().optional().meta({ description: "Only with token_delivery: body." }),
    refresh_token: z.string().optional().meta({ description: "Only with token_delivery: body." }),
    token_type: z.literal("Bearer").optional(),
    expires_in: z.number().int().optional(),
  })
  .meta({ id: "SignInResult" });

export const approveResponse = z
  .object({ approved: z.literal(true), email: z.string() })
  .meta({ id: "Approval" });

export const challengeStatusParams = z.object({ auth_request_id: opaqueId });
export const challengeStatusResponse = z
  .object({ status: z.enum(["pending", "approved", "consumed", "expired"]) })
  .meta({ id: "ChallengeStatus" });

export { errorResponses };
