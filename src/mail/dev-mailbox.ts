import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../errors.js";
import { errorResponses } from "../http/schemas.js";
import { MAIL_PREVIEW_CONTENT_SECURITY_POLICY } from "../http/security-headers.js";
import type { WebUi } from "../http/web-ui.js";
import { SUPPORTED_LOCALES } from "../i18n/locales.js";
import {
  escapeHtml,
  MAIL_PURPOSES,
  type MailRenderer,
  type MailTemplate,
  sampleMailContent,
} from "./templates.js";
import { createMemoryMailbox, type MemoryMailbox, type StoredMail } from "./transports.js";

/** Enough to follow a few sign-ins across restarts; the file never grows past it. */
const KEPT_MESSAGES = 50;

function readKeptMail(file: string, log: FastifyBaseLogger): StoredMail[] {
  if (!existsSync(file)) return [];
  try {
    const kept = JSON.parse(readFileSync(file, "utf8")) as (StoredMail & { createdAt: string })[];
    return kept.map((mail) => ({
      ...mail,
      headers: mail.headers ?? {},
      createdAt: new Date(mail.createdAt),
    }));
  } catch (error) {
    log.warn({ err: error }, "dev mailbox: could not read the kept messages; starting empty");
    return [];
  }
}

/** Written whole to a temporary file and renamed, so a crash mid-write never leaves half a file. */
function keepMail(file: string, messages: StoredMail[], log: FastifyBaseLogger): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(messages.slice(0, KEPT_MESSAGES)), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch (error) {
    log.warn({ err: error }, "dev mailbox: could not keep the messages on disk");
  }
}

/**
 * The development mailbox: when no mail transport is set outside production, every
 * message is kept (the last 50, in `file` under DATA_DIR, so they survive a restart),
 * listed at GET /dev/mailbox and logged with its code and link on one line, so a newcomer
 * can sign in with no mail server. Never mounted in production.
 */
export function createDevMailbox(log: FastifyBaseLogger, { file }: { file: string }): MemoryMailbox {
  return createMemoryMailbox({
    limit: KEPT_MESSAGES,
    initial: readKeptMail(file, log),
    onDeliver: (mail, all) => {
      log.info(`dev mailbox: to=${mail.to} code=${mail.code ?? "-"} link=${mail.link ?? "-"}`);
      keepMail(file, all, log);
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
        html: z
          .string()
          .describe("the HTML part; show it in a sandboxed frame, or open /dev/mailbox/{id}/html"),
        code: z.string().nullable(),
        link: z.string().nullable(),
        created_at: z.string(),
      }),
    ),
  })
  .meta({ id: "DevMailbox" });

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-host"];

/**
 * Answers only a person on this machine: the socket is loopback, no proxy forwarded the
 * request (a proxy on this machine connects from loopback for everyone behind it), and the
 * Host is a loopback name, so a web page that rebinds its own domain to 127.0.0.1 cannot
 * read the codes. A server started without NODE_ENV=production must not hand every code
 * to the network.
 */
export function isLocalRequest(request: FastifyRequest): boolean {
  if (!LOOPBACK.has(request.socket.remoteAddress ?? "")) return false;
  if (FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined)) return false;
  const host = (request.headers.host ?? "").toLowerCase().replace(/:\d+$/, "");
  return LOOPBACK_HOSTS.has(host);
}

function sendMailHtml(reply: FastifyReply, html: string) {
  return reply
    .type("text/html; charset=utf-8")
    .header("content-security-policy", MAIL_PREVIEW_CONTENT_SECURITY_POLICY)
    .header("x-frame-options", "SAMEORIGIN")
    .send(html);
}

const templates = Object.keys(MAIL_PURPOSES) as MailTemplate[];
const purposeOf = (purpose: string) => templates.find((template) => MAIL_PURPOSES[template] === purpose);

/** The preview index: every purpose in every language, with its subject, as HTML and as text. */
function previewIndex(renderer: MailRenderer, now: number): string {
  const rows = templates.flatMap((template) =>
    SUPPORTED_LOCALES.map((locale) => {
      const purpose = MAIL_PURPOSES[template];
      const { subject } = renderer.render(sampleMailContent(template, now), locale);
      const base = `/dev/mail-preview/${purpose}/${locale}`;
      return `<tr><td>${escapeHtml(purpose)}</td><td>${escapeHtml(locale)}</td><td>${escapeHtml(subject)}</td><td><a href="${escapeHtml(base)}">HTML</a> · <a href="${escapeHtml(base)}?format=text">text</a></td></tr>`;
    }),
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Mail previews</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}td,th{padding:.3rem .8rem;text-align:left;border-bottom:1px solid #ddd}</style></head>
<body><h1>Mail previews</h1><p>Every mail template in every language, with sample values (development only).</p>
<table><thead><tr><th>Purpose</th><th>Language</th><th>Subject</th><th>View</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table></body></html>`;
}

/**
 * JSON for programs; the UI's mailbox page for a browser asking for HTML; each message's
 * HTML part; and the template previews. Loopback only unless DEV_MAILBOX_PUBLIC.
 */
export const devMailboxRoutes: FastifyPluginAsyncZod<{
  mailbox: MemoryMailbox;
  webUi: WebUi | undefined;
  renderer: MailRenderer;
  isPublic: boolean;
  now: () => number;
}> = async (app, { mailbox, webUi, renderer, isPublic, now }) => {
  app.addHook("onRequest", async (request) => {
    if (!isPublic && !isLocalRequest(request)) throw new AppError("not_found");
  });
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
          html: mail.html,
          code: mail.code ?? null,
          link: mail.link ?? null,
          created_at: mail.createdAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    "/dev/mailbox/:id/html",
    {
      schema: {
        tags: ["development"],
        summary: "One message's HTML part as a page, framable by the UI (absent in production)",
        params: z.object({ id: z.coerce.number().int().min(1) }),
        response: { 200: z.string().describe("the message's HTML part"), ...errorResponses(404, 422) },
      },
    },
    async (request, reply) => {
      const mail = mailbox.messages().find((message) => message.id === request.params.id);
      if (!mail) throw new AppError("not_found");
      return sendMailHtml(reply, mail.html);
    },
  );

  app.get("/dev/mail-preview", { schema: { hide: true } }, async (_request, reply) =>
    sendMailHtml(reply, previewIndex(renderer, now())),
  );

  app.get(
    "/dev/mail-preview/:purpose/:locale",
    {
      schema: {
        hide: true,
        params: z.object({ purpose: z.string().max(40), locale: z.string().max(35) }),
        querystring: z.object({ format: z.enum(["html", "text"]).default("html") }),
      },
    },
    async (request, reply) => {
      const template = purposeOf(request.params.purpose);
      if (!template || !SUPPORTED_LOCALES.includes(request.params.locale)) throw new AppError("not_found");
      const mail = renderer.render(sampleMailContent(template, now()), request.params.locale);
      if (request.query.format === "text") {
        return reply.type("text/plain; charset=utf-8").send(`Subject: ${mail.subject}\n\n${mail.text}`);
      }
      return sendMailHtml(reply, mail.html);
    },
  );
};
