import nodemailer from "nodemailer";
import type { RenderedMail } from "./templates.js";

export interface OutgoingMail extends RenderedMail {
  to: string;
  /** Structured copies of the secrets, for the dev and test mailboxes only. */
  code: string | undefined;
  link: string | undefined;
}

/** Something that delivers one message or throws. */
export interface MailTransport {
  readonly name: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

export function createSmtpTransport({ smtpUrl, from }: { smtpUrl: string; from: string }): MailTransport {
  const url = new URL(smtpUrl);
  const transporter = nodemailer.createTransport({
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
  return {
    name: "smtp",
    async send(mail) {
      await transporter.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
    },
    async close() {
      transporter.close();
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
}: {
  limit?: number;
  onDeliver?: (mail: StoredMail) => void;
} = {}): MemoryMailbox {
  let stored: StoredMail[] = [];
  let nextId = 1;
  const waiters = new Set<{ to: string; afterId: number; resolve: (mail: StoredMail) => void }>();

  return {
    name: "memory",
    async send(mail) {
      const entry: StoredMail = { ...mail, id: nextId++, createdAt: new Date() };
      stored = [entry, ...stored].slice(0, limit);
      onDeliver?.(entry);
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
