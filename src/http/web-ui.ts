import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { pageContentSecurityPolicy } from "./security-headers.js";

/** The built UI: `dist/web` beside the compiled server, or under the repo when run from `src/`. */
export function findWebRoot(): string | undefined {
  const candidates = [new URL("../web/", import.meta.url), new URL("../../dist/web/", import.meta.url)];
  return candidates.map((url) => fileURLToPath(url)).find((path) => existsSync(`${path}index.html`));
}

/** Pages of the single-page app; each answers index.html and the router takes over. */
export const PAGE_PATHS = ["/", "/verify-magic-link", "/dashboard"] as const;

export interface WebUi {
  sendPage(reply: FastifyReply): FastifyReply;
}

/** Serves the SPA's assets and pages. Pages are never cached and never leak a Referer. */
export async function registerWebUi(
  app: FastifyInstance,
  webRoot: string,
  { logoUrl }: { logoUrl?: string | undefined } = {},
): Promise<WebUi> {
  const indexHtml = readFileSync(`${webRoot}index.html`);
  const contentSecurityPolicy = pageContentSecurityPolicy(logoUrl);
  await app.register(fastifyStatic, {
    root: `${webRoot}assets`,
    prefix: "/assets/",
    immutable: true,
    maxAge: "365d",
    index: false,
    wildcard: true,
  });
  const sendPage = (reply: FastifyReply) =>
    reply
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .header("referrer-policy", "no-referrer")
      .header("content-security-policy", contentSecurityPolicy)
      .send(indexHtml);
  for (const path of PAGE_PATHS) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) => sendPage(reply));
  }
  return { sendPage };
}
