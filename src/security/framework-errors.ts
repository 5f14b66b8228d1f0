import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError, sendAppError } from "../errors.js";
import { securityHeaders } from "../http/security-headers.js";

/**
 * Fastify answers a malformed URL (bad percent-encoding) or an over-long route parameter
 * before any hook runs, in its own `{error, code: "FST_ERR_…"}` shape and without the
 * security headers. This renders them like every other answer (SECURITY.md 31, 37): a 404
 * `not_found` — no such resource can exist — with the usual headers.
 */
export function createFrameworkErrorHandler({ isProduction }: { isProduction: boolean }) {
  const headers = securityHeaders({ isProduction });
  return (_error: Error, request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(headers);
    reply.header("x-request-id", request.id);
    reply.header("cache-control", "no-store");
    return sendAppError(reply, new AppError("not_found"));
  };
}
