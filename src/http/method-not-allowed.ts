import type { FastifyInstance } from "fastify";

/** Remembers which methods each route serves, so an unserved method gets 405, not 404. */
export function trackRouteMethods(app: FastifyInstance) {
  const routes: { pattern: RegExp; methods: Set<string> }[] = [];
  app.addHook("onRoute", (route) => {
    const source = route.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z_]+/g, "[^/]+");
    const pattern = new RegExp(`^${source}$`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const existing = routes.find((entry) => entry.pattern.source === pattern.source);
    if (existing) for (const method of methods) existing.methods.add(method);
    else routes.push({ pattern, methods: new Set(methods) });
  });
  return {
    /** The methods served at `path`, empty when the path is unknown. */
    allowedMethods(path: string): string[] {
      const methods = new Set<string>();
      for (const entry of routes) {
        if (entry.pattern.test(path)) for (const method of entry.methods) methods.add(method);
      }
      return [...methods];
    },
  };
}
