import type { FastifyBaseLogger } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { WebUi } from "../http/web-ui.js";
import { createMemoryMailbox, type MemoryMailbox } from "./transports.js";

/**
 * The development mailbox: when no SMTP_URL is set outside production, every message is
 * kept in memory, listed at GET /dev/mailbox and logged with its code and link on one
 * line, so a newcomer can sign in with no mail server. Never mounted in production.
 */
export function createDevMailbox(log: FastifyBaseLogger): MemoryMailbox {
  return createMemoryMailbox({
    onDeliver: (mail) => {
      log.info(`dev mailbox: to=${mail.to} code=${mail.code ?? "-"} link=${mail.link ?? "-"}`);
    },
  });
}

const mailboxResponse = z
  .object({
    messages: z.array(
      z.object({
        id: z.number().int(),
        to: z.string(),
        subject: z.string(),
        text: z.string(),
        code: z.string().nullable(),
        link: z.string().nullable(),
        created_at: z.string(),
      }),
    ),
  })
  .meta({ id: "DevMailbox" });

/** JSON for programs; the UI's mailbox page for a browser asking for HTML. */
export const devMailboxRoutes: FastifyPluginAsyncZod<{
  mailbox: MemoryMailbox;
  webUi: WebUi | undefined;
}> = async (app, { mailbox, webUi }) => {
  app.get(
    "/dev/mailbox",
    {
      schema: {
        tags: ["development"],
        summary: "Mail sent in development, newest first (absent in production)",
        response: { 200: mailboxResponse },
      },
    },
    async (request, reply) => {
      if (webUi && request.headers.accept?.includes("text/html")) return webUi.sendPage(reply);
      return {
        messages: mailbox.messages().map((mail) => ({
          id: mail.id,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          code: mail.code ?? null,
          link: mail.link ?? null,
          created_at: mail.createdAt.toISOString(),
        })),
      };
    },
  );
};
