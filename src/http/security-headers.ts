import type { FastifyInstance } from "fastify";

/**
 * Security headers, computed once at startup and set in one call per response (SECURITY.md
 * 30, 31). The page policy allows only same-origin scripts and styles — no inline code —
 * and the API policy allows nothing at all; both forbid framing.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

/** The page policy, with the operator's logo (APP_LOGO_URL) allowed from its origin only. */
export function pageContentSecurityPolicy(logoUrl: string | undefined): string {
  if (!logoUrl) return PAGE_CONTENT_SECURITY_POLICY;
  return PAGE_CONTENT_SECURITY_POLICY.replace(
    "img-src 'self' data:",
    `img-src 'self' data: ${new URL(logoUrl).origin}`,
  );
}

/** The API docs page (Swagger UI) also needs inline styles. */
export const DOCS_CONTENT_SECURITY_POLICY = PAGE_CONTENT_SECURITY_POLICY.replace(
  "style-src 'self'",
  "style-src 'self' 'unsafe-inline'",
);

/**
 * A mail shown in development (the mailbox, the template previews): the mail's own inline
 * styles and remote logo, no script at all, framable by the UI on this origin only.
 */
export const MAIL_PREVIEW_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export function securityHeaders({ isProduction }: { isProduction: boolean }): Record<string, string> {
  return {
    "content-security-policy": API_CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    ...(isProduction ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** Built files under /assets/ carry their content hash and are cached by @fastify/static's own rules. */
const FINGERPRINTED_ASSETS = "/assets/";

/**
 * Every answer gets the security headers, its request id and, unless its route sets
 * another `cache-control` (set before the route runs, so the route's own wins),
 * `no-store`: an answer about a user or a session is never kept by a cache.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { isProduction: boolean }) {
  const headers = securityHeaders(options);
  const uncachedHeaders = { ...headers, "cache-control": "no-store" };
  app.addHook("onRequest", async (request, reply) => {
    reply.headers(request.url.startsWith(FINGERPRINTED_ASSETS) ? headers : uncachedHeaders);
    reply.header("x-request-id", request.id);
  });
}

/** Request ids: unique per process and cheap; they correlate logs and audit rows, they guard nothing. */
export function createRequestIdGenerator(prefix: string): () => string {
  let counter = 0;
  return () => `${prefix}-${(++counter).toString(36)}`;
}
