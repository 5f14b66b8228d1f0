import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import { requestContext } from "../http/request-context.js";
import type { AuditLog } from "../security/audit.js";
import { clientKeyOf } from "../security/client-ip.js";
import { enforceRateLimits, type RateLimitStore } from "../security/rate-limit.js";
import type { AdminKeys } from "./keys.js";
import type { AdminContext, AdminService } from "./service.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The admin key that authenticated this request (admin routes only). */
    adminKey?: { id: string; name: string };
  }
}

export interface AdminAuthOptions {
  keys: AdminKeys;
  admin: AdminService;
  audit: AuditLog;
  limits: RateLimitStore;
  clock: Clock;
  requestsPerIpPerMinute: number;
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer ([^\s]+)$/.exec(header) : null;
  return match?.[1];
}

/**
 * Guards every route of the scope it is added to. In order: the admin rate limit (before
 * any key is looked at, so keys cannot be guessed quickly); no live admin key at all → the
 * API does not exist (404); then a valid, unrevoked admin key in `Authorization: Bearer` —
 * never a session cookie or user access token; then the call is audited with the key's id.
 */
export function addAdminAuth(app: FastifyInstance, options: AdminAuthOptions) {
  app.addHook("onRequest", async (request) => {
    const context = requestContext(request);
    await enforceRateLimits(
      options.limits,
      [
        {
          key: `admin-ip:${clientKeyOf(context.ip)}`,
          windowMs: 60_000,
          limit: options.requestsPerIpPerMinute,
        },
      ],
      options.clock.now(),
    );
    if (!(await options.keys.hasLiveKey())) throw new AppError("not_found");
    const presented = bearerOf(request);
    if (!presented) throw new AppError("admin_key_required");
    const key = await options.keys.authenticate(presented);
    if (!key) {
      await options.audit.record({
        type: "admin_key_rejected",
        ...context,
        detail: { route: request.routeOptions.url ?? "" },
      });
      throw new AppError("admin_key_invalid");
    }
    request.adminKey = key;
    await options.admin.recordRequest(
      { ...context, adminKeyId: key.id },
      `${request.method} ${request.routeOptions.url ?? ""}`,
    );
  });
}

/** The context admin service calls take: the request's, naming the key. */
export function adminContext(request: FastifyRequest): AdminContext {
  const key = request.adminKey;
  if (!key) throw new AppError("admin_key_required");
  return { ...requestContext(request), adminKeyId: key.id };
}
