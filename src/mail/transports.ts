import { Readable } from "node:stream";
import { loadOnFirstUse } from "../load-on-first-use.js";
import { MimeRefusal } from "./addresses.js";
import { createMessageBuilder, type MimeMessage } from "./mime.js";
import type { RenderedMail } from "./templates.js";

/** `[{Name, Value}]`, the header list Postmark and SES take. */
export function headerList(headers: Record<string, string>): { Name: string; Value: string }[] {
  return Object.entries(headers).map(([Name, Value]) => ({ Name, Value }));
}

export interface OutgoingMail extends RenderedMail {
  to: string;
  /** Structured copies of the secrets, for the dev and test mailboxes only. */
  code: string | undefined;
  link: string | undefined;
}

/** What a provider answered when it accepted a message. */
export interface SendResult {
  /** The provider's id for the message, kept on the outbox row for support. */
  providerMessageId?: string | undefined;
}

/** Something that delivers one message or throws. */
export interface MailTransport {
  readonly name: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: transports that report nothing (SMTP sinks, test mailboxes) keep returning void.
  send(mail: OutgoingMail): Promise<SendResult | void>;
  close(): Promise<void>;
}

/**
 * A refusal that no retry can change (bad or suppressed address, rejected message): the
 * outbox marks the mail failed at once. `code` is the provider's code, never its text.
 */
export class PermanentDeliveryError extends Error {
  readonly code: string;
  constructor(code: string, options?: { cause?: unknown }) {
    super(`permanent delivery failure: ${code}`, options);
    this.name = "PermanentDeliveryError";
    this.code = code;
  }
}

/** A PermanentDeliveryError, or an SMTP 5yz reply (RFC 5321: permanent negative completion). */
export function isPermanentDeliveryError(error: unknown): boolean {
  if (error instanceof PermanentDeliveryError) return true;
  const responseCode = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof responseCode === "number" && responseCode >= 500 && responseCode < 600;
}

/**
 * What nodemailer's SMTP pool reads of a mail it is handed (its transport interface,
 * `send(mail, callback)`): the envelope, the Message-ID and the message as a stream. The
 * message is built already (mime.ts), so it goes to the pool directly: through `sendMail`,
 * nodemailer's mailer would parse the envelope's addresses again and wrap the raw message in
 * a MIME tree, about 100 µs a mail (docs/performance.md).
 */
interface PooledMail {
  data: Record<string, never>;
  message: {
    getEnvelope(): { from: string; to: string[] };
    messageId(): string;
    getHeader(name: string): string | undefined;
    createReadStream(): Readable;
  };
}

function pooledMail({ raw, messageId, envelope }: MimeMessage): PooledMail {
  return {
    data: {},
    message: {
      // The pool adds its DSN options to the envelope it is given, so each call gets a copy.
      getEnvelope: () => ({ from: envelope.from, to: [...envelope.to] }),
      messageId: () => messageId,
      getHeader: (name) => (name.toLowerCase() === "message-id" ? messageId : undefined),
      // A fresh stream each time: the pool asks again when it retries on another connection.
      createReadStream: () => Readable.from([Buffer.from(raw)], { objectMode: false }),
    },
  };
}

export function createSmtpTransport({ smtpUrl, from }: { smtpUrl: string; from: string }): MailTransport {
  const url = new URL(smtpUrl);
  const buildMessage = createMessageBuilder(from);
  // Loaded here, not at start-up: nodemailer holds about 3 MB of heap a server on the dev mailbox or an HTTP provider never uses.
  const { default: SMTPPool } =
    loadOnFirstUse<typeof import("nodemailer/lib/smtp-pool")>("nodemailer/lib/smtp-pool");
  const pool = new SMTPPool({
    pool: true,
    maxConnections: 16,
    host: url.hostname,
    port: Number(url.port) || (url.protocol === "smtps:" ? 465 : 587),
    secure: url.protocol === "smtps:",
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    ignoreTLS: url.searchParams.get("tls") === "off",
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  // The pool's types ask for nodemailer's whole MailMessage; it reads only what PooledMail has.
  const sendToPool = pool.send.bind(pool) as unknown as (
    mail: PooledMail,
    done: (error: Error | null) => void,
  ) => void;
  const sendPooled = (mail: PooledMail) =>
    new Promise<void>((resolve, reject) => sendToPool(mail, (error) => (error ? reject(error) : resolve())));
  return {
    name: "smtp",
    async send(mail) {
      let message: MimeMessage;
      try {
        message = buildMessage(mail.to, mail);
      } catch (error) {
        if (error instanceof MimeRefusal) throw new PermanentDeliveryError(error.code, { cause: error });
        throw error;
      }
      await sendPooled(pooledMail(message));
      return { providerMessageId: message.messageId };
    },
    async close() {
      pool.close();
    },
  };
}

/** For a provider that sends its own mail (Scalekit): any attempt to use it is a bug, and fails loudly. */
export function createUnconfiguredTransport(): MailTransport {
  return {
    name: "none",
    async send() {
      throw new Error("no mail transport configured (set SMTP_URL)");
    },
    async close() {},
  };
}

export interface StoredMail extends OutgoingMail {
  id: number;
  createdAt: Date;
}

/** Keeps delivered messages in memory, newest first; the dev mailbox and the test mailbox. */
export interface MemoryMailbox extends MailTransport {
  messages(): StoredMail[];
  /** Resolves with the next message to `to` (or the newest one already there, if `includeExisting`). */
  waitFor(to: string, options?: { timeoutMs?: number; afterId?: number }): Promise<StoredMail>;
  lastFor(to: string): StoredMail | undefined;
  clear(): void;
}

export function createMemoryMailbox({
  limit = 200,
  onDeliver,
  initial = [],
}: {
  limit?: number;
  onDeliver?: (mail: StoredMail, all: StoredMail[]) => void;
  /** Messages kept from an earlier run, newest first. */
  initial?: StoredMail[];
} = {}): MemoryMailbox {
  let stored: StoredMail[] = initial.slice(0, limit);
  let nextId = Math.max(0, ...stored.map((mail) => mail.id)) + 1;
  const waiters = new Set<{ to: string; afterId: number; resolve: (mail: StoredMail) => void }>();

  return {
    name: "memory",
    async send(mail) {
      const entry: StoredMail = { ...mail, id: nextId++, createdAt: new Date() };
      stored = [entry, ...stored].slice(0, limit);
      onDeliver?.(entry, stored);
      for (const waiter of waiters) {
        if (waiter.to === mail.to && entry.id > waiter.afterId) {
          waiters.delete(waiter);
          waiter.resolve(entry);
        }
      }
    },
    async close() {},
    messages: () => [...stored],
    lastFor: (to) => stored.find((mail) => mail.to === to),
    clear() {
      stored = [];
    },
    waitFor(to, { timeoutMs = 5000, afterId = 0 } = {}) {
      const existing = stored.find((mail) => mail.to === to && mail.id > afterId);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const waiter = {
          to,
          afterId,
          resolve: (mail: StoredMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no mail to ${to} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}
