import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
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

const CLIENT_ERRORS: Record<string, { status: number; detail: string; code: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: "Request headers too large.", code: "headers_too_large" },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: "Request timed out.", code: "request_timeout" },
};
const MALFORMED = { status: 400, detail: "Malformed HTTP request.", code: "bad_request" };

/**
 * Node's HTTP parser refuses some requests (headers over the limit, garbage, a timeout)
 * before Fastify sees them; Fastify then writes `{error, message, statusCode}` to the socket.
 * This writes the same `{detail, code}` shape as every other answer, and closes.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex) {
  if (error.code === "ECONNRESET" || socket.destroyed || !socket.writable) return;
  const { status, detail, code } = CLIENT_ERRORS[error.code ?? ""] ?? MALFORMED;
  const body = JSON.stringify({ detail, code });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}
