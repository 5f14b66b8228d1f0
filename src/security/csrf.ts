import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { AppError } from "../errors.js";
import { requestContext } from "../http/request-context.js";
import type { AuditLog } from "./audit.js";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function originOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return "null";
  }
}

/**
 * Why a browser request is cross-site, or undefined when it is not. Fetch Metadata
 * first; without it, `Origin`, then `Referer`, must be in the allow-list. A request with
 * none of these headers did not come from a modern browser, so it cannot be a forgery
 * riding on a victim's cookies. Bodies must be JSON (other types get 415), which no
 * HTML form can send.
 */
export function crossSiteReason(
  request: FastifyRequest,
  allowedOrigins: ReadonlySet<string>,
): string | undefined {
  const fetchSite = request.headers["sec-fetch-site"];
  if (fetchSite === "cross-site") return "sec-fetch-site";
  const origin = request.headers.origin;
  if (origin !== undefined) return allowedOrigins.has(origin) ? undefined : "origin";
  if (fetchSite === "same-origin" || fetchSite === "none") return undefined;
  const refererOrigin = originOf(request.headers.referer);
  if (refererOrigin !== undefined && !allowedOrigins.has(refererOrigin)) return "referer";
  return undefined;
}

function isBearerOnly(request: FastifyRequest): boolean {
  return Boolean(request.headers.authorization?.startsWith("Bearer ")) && !request.headers.cookie;
}

/** Refuses cross-site unsafe requests (SECURITY.md 28) before any handler runs, so nothing is consumed. */
export const csrfPlugin = fp(
  async (
    app: FastifyInstance,
    { allowedOrigins, audit }: { allowedOrigins: readonly string[]; audit: AuditLog },
  ) => {
    const allowed = new Set(allowedOrigins);
    app.addHook("onRequest", async (request) => {
      if (!UNSAFE_METHODS.has(request.method) || isBearerOnly(request)) return;
      const reason = crossSiteReason(request, allowed);
      if (!reason) return;
      await audit.recordRefusal({ type: "csrf_rejected", detail: { reason }, ...requestContext(request) });
      throw new AppError("csrf_rejected");
    });
  },
  { name: "csrf" },
);
