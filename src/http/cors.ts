import type { FastifyInstance } from "fastify";

const ALLOWED_METHODS = "GET, POST, DELETE";
const ALLOWED_HEADERS = "content-type, authorization";
const EXPOSED_HEADERS = "retry-after, x-request-id, x-resend-after";

/**
 * CORS for an exact list of origins (SECURITY.md 29): an allowed `Origin` is echoed with
 * credentials; any other gets no CORS headers at all; every response varies on Origin.
 * Never `*`, never a reflected unknown origin.
 */
export function registerCors(app: FastifyInstance, allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("vary", "Origin");
    const origin = request.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return;
    reply.header("access-control-allow-origin", origin);
    reply.header("access-control-allow-credentials", "true");
    reply.header("access-control-expose-headers", EXPOSED_HEADERS);
  });
  app.options("*", { schema: { hide: true } }, async (request, reply) => {
    const origin = request.headers.origin;
    if (origin !== undefined && allowed.has(origin)) {
      reply.header("access-control-allow-methods", ALLOWED_METHODS);
      reply.header("access-control-allow-headers", ALLOWED_HEADERS);
      reply.header("access-control-max-age", "600");
    }
    return reply.code(204).send();
  });
}
