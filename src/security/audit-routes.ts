import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses } from "../http/schemas.js";
import type { AuditLog } from "./audit.js";
import { auditEventFields } from "./audit-schema.js";

const auditResponse = z
  .object({
    events: z.array(
      auditEventFields.extend({
        /** The app an OpenID event concerns ("Signed in to Acme Docs"). */
        app: z.string().optional(),
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
          ...(typeof event.detail?.client_name === "string" ? { app: event.detail.client_name } : {}),
        })),
      };
    },
  );
};
