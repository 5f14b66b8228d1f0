import { z } from "zod";
import { PASSWORDLESS_TYPES } from "../config.js";
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

/**
 * A request body that also takes the seed's camelCase spellings (`aliases`: camel → snake).
 * Each alias folds into its snake_case name before `schema` validates; two spellings with
 * different values are a 422; a required field missing under both names is reported under
 * its camelCase name, which the seed's clients read. The document shows the snake_case
 * names, required ones as required.
 */
function aliasedBody<Shape extends z.ZodRawShape>(aliases: Aliases, schema: z.ZodObject<Shape>) {
  const isRequired = (snake: string) => {
    const field = schema.shape[snake];
    return field !== undefined && !z.safeParse(field, undefined).success;
  };
  return z.preprocess((input, context) => {
    if (!isPlainObject(input)) return input;
    const folded: Record<string, unknown> = { ...input };
    for (const [camel, snake] of Object.entries(aliases)) {
      if (camel in folded) {
        if (snake in folded && folded[snake] !== folded[camel]) {
          context.addIssue({ code: "custom", path: [camel], message: `conflicts with ${snake}`, input });
        }
        folded[snake] ??= folded[camel];
        delete folded[camel];
      }
      if (folded[snake] === undefined && isRequired(snake)) {
        context.addIssue({ code: "custom", path: [camel], message: "Field required", input });
      }
    }
    return folded;
  }, schema);
}

/** RFC 5321 limits, as `canonicalizeEmail` enforces them: address <= 254, local part <= 64. */
const email = z
  .string()
  .min(5)
  .max(254)
  .regex(/^\s*[^@\s]{1,64}@[^@\s]+\s*$/, "value is not a valid email address")
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
const passwordlessType = z.enum(PASSWORDLESS_TYPES);
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const approvalNumber = z.number().int().min(10).max(99).meta({
  description: "The two-digit number the waiting browser shows, as the person picked it.",
});
const linkToken = z.string().regex(/^[A-Za-z0-9_-]{22,128}$/, "invalid link token");
/** The `auth_request_id` a magic link carries next to its token; a landing page sends both. */
const linkAuthRequestId = opaqueId.optional().meta({
  description: "The magic link's `auth_request_id` parameter, when it has one (Scalekit links do).",
});
const tokenDelivery = z.enum(["cookie", "body"]).default("cookie").meta({
  description: "`body` returns the token pair in the JSON for non-browser clients and sets no cookies.",
});

export const sendBody = aliasedBody(
  { magiclinkAuthUri: "magiclink_auth_uri", expiresIn: "expires_in" },
  z
    .object({
      email,
      magiclink_auth_uri: z
        .string()
        .max(2048)
        .optional()
        .meta({ example: "http://localhost:8000/verify-magic-link" }),
      template: template.default("SIGNIN"),
      state: z
        .string()
        .max(1000)
        .refine((value) => !CONTROL_CHARACTERS.test(value), "must not contain control characters")
        .nullable()
        .optional(),
      expires_in: z
        .number()
        .int()
        .min(60)
        .max(600)
        .optional()
        .meta({ description: "Seconds, 60..600; default 300." }),
    })
    .meta({ id: "SendPasswordlessRequest", description: "Also accepts `magiclinkAuthUri` and `expiresIn`." }),
);

export const challengeResponse = z
  .object({
    auth_request_id: z.string().meta({ example: "q0Yd3pQ2bq3m8c5n4vYb9A" }),
    expires_at: z.number().int().meta({ description: "Unix seconds.", example: 1767225600 }),
    expires_in: z.number().int().meta({ example: 300 }),
    passwordless_type: passwordlessType,
  })
  .meta({ id: "PasswordlessChallenge" });

export const resendBody = aliasedBody(
  { authRequestId: "auth_request_id" },
  z
    .object({ auth_request_id: opaqueId })
    .meta({ id: "ResendPasswordlessRequest", description: "Also accepts `authRequestId`." }),
);

/** One schema per code length: a second schema under the same id would confuse the document. */
const verifyOtpBodies = new Map<number, ReturnType<typeof createVerifyOtpBody>>();

export function verifyOtpBody(otpLength: number) {
  const body = verifyOtpBodies.get(otpLength) ?? createVerifyOtpBody(otpLength);
  verifyOtpBodies.set(otpLength, body);
  return body;
}

function createVerifyOtpBody(otpLength: number) {
  return aliasedBody(
    { authRequestId: "auth_request_id", tokenDelivery: "token_delivery" },
    z
      .object({
        code: z
          .string()
          .regex(new RegExp(`^[0-9]{${otpLength}}$`), `must be ${otpLength} digits`)
          .meta({ example: "042137" }),
        auth_request_id: opaqueId,
        token_delivery: tokenDelivery,
      })
      .meta({ id: "VerifyOtpRequest", description: "Also accepts `authRequestId` and `tokenDelivery`." }),
  );
}

export const verifyLinkBody = aliasedBody(
  { linkToken: "link_token", authRequestId: "auth_request_id", tokenDelivery: "token_delivery" },
  z
    .object({
      link_token: linkToken,
      auth_request_id: linkAuthRequestId,
      confirm: z.boolean().default(false).meta({
        description: "Set after the person clicked to sign in on a browser that did not start the flow.",
      }),
      token_delivery: tokenDelivery,
    })
    .meta({
      id: "VerifyMagicLinkRequest",
      description: "Also accepts `linkToken`, `authRequestId` and `tokenDelivery`.",
    }),
);

/** The magic link as the approving page holds it. */
const linkFields = { link_token: linkToken, auth_request_id: linkAuthRequestId };
const linkAliases = { linkToken: "link_token", authRequestId: "auth_request_id" };

export const approveLinkBody = aliasedBody(
  { ...linkAliases, approvalNumber: "approval_number" },
  z.object({ ...linkFields, approval_number: approvalNumber }).meta({
    id: "ApproveMagicLinkRequest",
    description: "Also accepts `linkToken`, `authRequestId` and `approvalNumber`.",
  }),
);

export const linkBody = aliasedBody(
  linkAliases,
  z
    .object(linkFields)
    .meta({ id: "MagicLinkRequest", description: "Also accepts `linkToken` and `authRequestId`." }),
);

export const approvalDetailsResponse = z
  .object({
    choices: z.array(z.number().int()).length(3).meta({ description: "Ascending; one is the right number." }),
    user_agent: z.string().nullable().meta({ description: "The waiting browser's User-Agent." }),
    place: z.string().nullable().meta({ description: "Approximate place from a trusted proxy, when known." }),
    requested_at: z.string().meta({ description: "ISO 8601, UTC." }),
  })
  .meta({ id: "ApprovalDetails" });

export const refuseResponse = z.object({ refused: z.literal(true) }).meta({ id: "Refusal" });

export const completeApprovalBody = aliasedBody(
  { authRequestId: "auth_request_id", tokenDelivery: "token_delivery" },
  z.object({ auth_request_id: opaqueId, token_delivery: tokenDelivery }).meta({
    id: "CompleteApprovalRequest",
    description: "Also accepts `authRequestId` and `tokenDelivery`.",
  }),
);

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
  .object({
    status: z.enum(["pending", "approved", "consumed", "expired", "refused"]),
    approval_number: z.number().int().nullable().meta({
      description: "Shown by the waiting browser; the approving device must pick it.",
    }),
  })
  .meta({ id: "ChallengeStatus" });

export { errorResponses };
