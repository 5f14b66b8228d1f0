import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { AppError } from "../errors.js";
import { pathOf } from "../http/paths.js";

/** Probes reach the process directly, over plain http, from inside the network. */
const PROBE_PATHS = new Set(["/healthz", "/readyz"]);

/**
 * In production behind a trusted proxy, a request the proxy says arrived over plain http
 * is refused with 403 `https_required` instead of being served or redirected
 * (SECURITY.md 30): a redirect would already have sent the cookies and body in clear, and
 * teaching clients to follow it hides the mistake. Without a trusted proxy the forwarded
 * protocol cannot be believed, and HSTS plus an https PUBLIC_URL do the work.
 */
export const httpsOnlyPlugin = fp(
  async (app: FastifyInstance, { isEnabled }: { isEnabled: boolean }) => {
    if (!isEnabled) return;
    app.addHook("onRequest", async (request) => {
      if (request.headers["x-forwarded-proto"] === undefined) return;
      if (request.protocol === "https" || PROBE_PATHS.has(pathOf(request.url))) return;
      throw new AppError("https_required");
    });
  },
  { name: "https-only" },
);
