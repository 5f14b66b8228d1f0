import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { DatabaseHandle } from "../db/database.js";
import { databaseUnavailable } from "../errors.js";
import { API_PREFIX } from "./paths.js";
import { errorResponses } from "./schemas.js";

const ok = z.object({ ok: z.literal(true) }).meta({ id: "Ok" });

export const healthRoutes: FastifyPluginAsyncZod<{ database: DatabaseHandle }> = async (
  app,
  { database },
) => {
  async function ping() {
    try {
      await database.ping();
    } catch (error) {
      throw databaseUnavailable(error);
    }
    return { ok: true as const };
  }

  app.get(
    "/healthz",
    { schema: { tags: ["operations"], summary: "Liveness: the process answers", response: { 200: ok } } },
    async () => ({ ok: true as const }),
  );
  app.get(
    "/readyz",
    {
      schema: {
        tags: ["operations"],
        summary: "Readiness: the database answers",
        response: { 200: ok, ...errorResponses(503) },
      },
    },
    ping,
  );
  app.get(
    `${API_PREFIX}/db-ping`,
    {
      schema: {
        tags: ["operations"],
        summary: "A real database round trip (seed contract)",
        response: { 200: ok, ...errorResponses(503) },
      },
    },
    ping,
  );
};
