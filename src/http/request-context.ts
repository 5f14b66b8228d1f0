import type { FastifyRequest } from "fastify";
import { SUPPORTED_LOCALES } from "../i18n/locales.js";
import { negotiateLocale } from "../i18n/negotiate.js";
import type { AuditContext } from "../security/audit.js";
import { clientAddressOf } from "../security/client-ip.js";

/** Who and where a request comes from: for limits, sessions and the audit log. */
export interface RequestContext extends AuditContext {
  ip: string;
  userAgent: string | undefined;
  /** The language the request's Accept-Language negotiates: a new account's, and its mail's. */
  locale?: string | undefined;
}

/** Who and where, for limits and the audit log. `request.ip` honours TRUST_PROXY; a forwarded port or junk is normalized. */
export function requestContext(request: FastifyRequest): RequestContext {
  const userAgent = request.headers["user-agent"];
  return {
    ip: clientAddressOf(request.ip),
    userAgent: typeof userAgent === "string" ? userAgent : undefined,
    requestId: request.id,
    locale: negotiateLocale(SUPPORTED_LOCALES, request.headers["accept-language"]),
  };
}
