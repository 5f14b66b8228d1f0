import { z } from "zod";
import { opaqueId } from "../http/schemas.js";
import { auditEventFields } from "../security/audit-schema.js";
import { canonicalizeEmail } from "../users/index.js";
import { webhookEventTypes } from "../webhooks/index.js";

const isoTime = (milliseconds: number | null) =>
  milliseconds === null ? null : new Date(milliseconds).toISOString();

export const canonicalEmail = z
  .string()
  .max(320)
  .transform((value, context) => {
    const canonical = canonicalizeEmail(value);
    if (!canonical) {
      context.addIssue({ code: "custom", message: "must be one valid email address" });
      return z.NEVER;
    }
    return canonical;
  });

export const adminUser = z
  .object({
    id: z.string(),
    email: z.string(),
    created_at: z.string(),
    last_login_at: z.string().nullable(),
    blocked: z.boolean(),
    blocked_at: z.string().nullable(),
  })
  .meta({ id: "AdminUser" });

export function toAdminUserDto(user: {
  id: string;
  email: string;
  createdAt: number;
  lastLoginAt: number | null;
  blockedAt: number | null;
}): z.infer<typeof adminUser> {
  return {
    id: user.id,
    email: user.email,
    created_at: isoTime(user.createdAt) ?? "",
    last_login_at: isoTime(user.lastLoginAt),
    blocked: user.blockedAt !== null,
    blocked_at: isoTime(user.blockedAt),
  };
}

export const userIdParams = z.object({ id: opaqueId });
export const webhookIdParams = z.object({
  id: z.string().regex(/^ep_[A-Za-z0-9_-]{22}$/, "must be a webhook id"),
});

export const listUsersQuery = z.object({
  email: canonicalEmail.optional(),
  cursor: opaqueId.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const userList = z
  .object({ users: z.array(adminUser), next_cursor: z.string().nullable() })
  .meta({ id: "AdminUserList" });

export const userDetail = z
  .object({
    user: adminUser,
    sessions: z.array(
      z.object({
        id: z.string(),
        created_at: z.string(),
        last_used_at: z.string(),
        expires_at: z.string(),
        ip: z.string().nullable(),
        user_agent: z.string().nullable(),
      }),
    ),
    passkeys: z.array(z.record(z.string(), z.unknown())),
    connected_apps: z.array(z.record(z.string(), z.unknown())),
  })
  .meta({ id: "AdminUserDetail" });

export const createUserBody = z.object({
  email: canonicalEmail,
  send_invitation: z.boolean().default(false),
});

export const revokeSessionsBody = z.object({ session_id: opaqueId.optional() }).nullish();

export const revokedCount = z.object({ revoked: z.number().int() });

export const auditQuery = z.object({
  type: z
    .string()
    .regex(/^[a-z_]{1,64}$/)
    .optional(),
  user_id: opaqueId.optional(),
  email: canonicalEmail.optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  cursor: z
    .string()
    .regex(/^\d{1,16}\.[A-Za-z0-9_-]{8,128}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const auditPage = z
  .object({
    events: z.array(
      auditEventFields.extend({
        user_id: z.string().nullable(),
        email_hash: z.string().nullable(),
        request_id: z.string().nullable(),
        detail: z.record(z.string(), z.unknown()).nullable(),
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "AdminAuditPage" });

export const webhookEndpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()).nullable(),
    created_at: z.string(),
    disabled_at: z.string().nullable(),
    consecutive_failures: z.number().int(),
  })
  .meta({ id: "WebhookEndpoint" });

export const addWebhookBody = z.object({
  url: z.string().max(2048),
  events: z.array(z.enum(webhookEventTypes)).max(webhookEventTypes.length).optional(),
});

export const webhookSecret = z
  .object({ id: z.string(), url: z.string().optional(), secret: z.string() })
  .meta({ id: "WebhookSecret" });

export const signInLinkBody = z.object({ email: canonicalEmail });
export const signInLink = z
  .object({ link: z.string(), expires_at: z.string() })
  .meta({ id: "AdminSignInLink" });
