import type { FastifyInstance } from "fastify";
import { AppError } from "../errors.js";
import { pathOf } from "./paths.js";

/**
 * Remembers which methods each route serves, so an unserved method gets 405 with `Allow`,
 * not 404. It answers in `onRequest`, before any body is read: a method that carries a
 * body (QUERY, PATCH) must not be refused for its missing Content-Type instead.
 */
export function trackRouteMethods(app: FastifyInstance) {
  // Most routes have no parameter: their path is looked up, and only the rest are matched.
  const staticRoutes = new Map<string, Set<string>>();
  const paramRoutes: { pattern: RegExp; methods: Set<string> }[] = [];
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!route.url.includes(":")) {
      const known = staticRoutes.get(route.url) ?? new Set<string>();
      for (const method of methods) known.add(method);
      staticRoutes.set(route.url, known);
      return;
    }
    const source = route.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z_]+/g, "[^/]+");
    const pattern = new RegExp(`^${source}$`);
    const existing = paramRoutes.find((entry) => entry.pattern.source === pattern.source);
    if (existing) for (const method of methods) existing.methods.add(method);
    else paramRoutes.push({ pattern, methods: new Set(methods) });
  });
  function allowedMethods(path: string): string[] {
    const methods = new Set(staticRoutes.get(path));
    for (const entry of paramRoutes) {
      if (entry.pattern.test(path)) for (const method of entry.methods) methods.add(method);
    }
    return [...methods];
  }
  app.addHook("onRequest", async (request, reply) => {
    if (!request.is404) return;
    const allowed = allowedMethods(pathOf(request.url));
    if (allowed.length === 0) return;
    reply.header("allow", allowed.join(", "));
    throw new AppError("method_not_allowed");
  });
}
