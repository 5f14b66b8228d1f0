import type { FastifyRequest } from "fastify";
import type { RequestContext } from "../sessions/index.js";

/** Who and where, for limits and the audit log. `request.ip` already honours TRUST_PROXY only. */
export function requestContext(request: FastifyRequest): RequestContext {
  const userAgent = request.headers["user-agent"];
  return {
    ip: request.ip,
    userAgent: typeof userAgent === "string" ? userAgent : undefined,
    requestId: request.id,
  };
}
