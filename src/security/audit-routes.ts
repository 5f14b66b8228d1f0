import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses } from "../http/schemas.js";
import type { AuditLog } from "./audit.js";

const auditResponse = z
  .object({
    events: z.array(
      z.object({
        id: z.string(),
        at: z.string(),
        type: z.string(),
        ip: z.string().nullable(),
        user_agent: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "AuditEvents" });

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditLog }> = async (app, { audit }) => {
  app.get(
    "/audit",
    {
      config: { auth: "required" },
      schema: {
        tags: ["security"],
        summary: "Your recent security events, newest first",
        response: { 200: auditResponse, ...errorResponses(401, 503) },
      },
    },
    async (request) => {
      const events = await audit.listForUser(request.session!.userId);
      return {
        events: events.map((event) => ({
          id: event.id,
          at: event.at.toISOString(),
          type: event.type,
          ip: event.ip,
          user_agent: event.userAgent,
        })),
      };
    },
  );
};
