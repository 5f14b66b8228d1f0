import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** One message as it arrived over SMTP, parsed the way a mail client would. */
export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  receivedAt: number;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:PORT`: plain SMTP, no auth, no STARTTLS offered. */
  readonly url: string;
  /** Every message to `address` so far, oldest first. */
  mailsTo(address: string): ReceivedMail[];
  /** Resolves with message number `index` (0-based) to `address`, waiting for it to arrive. */
  waitForMail(address: string, index: number, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1:0 that keeps what it receives in memory. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    size: 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          received.push({
            to: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            receivedAt: Date.now(),
          });
          for (const wake of waiters) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("SMTP sink: no port");

  const mailsTo = (to: string) => received.filter((mail) => mail.to.includes(to.toLowerCase()));

  return {
    url: `smtp://127.0.0.1:${address.port}`,
    mailsTo,
    waitForMail(to, index, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const mail = mailsTo(to)[index];
          if (!mail) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(mail);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`SMTP sink: mail #${index + 1} to ${to} did not arrive within ${timeoutMs} ms`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const HTML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };

/** The code, read from the text the way a person reads it: alone on its own indented line. */
export function readCode(mail: ReceivedMail): string {
  const match = /^ {4}(\d{6,8})$/m.exec(mail.text);
  if (!match?.[1]) throw new Error(`no code in the mail "${mail.subject}":\n${mail.text}`);
  return match[1];
}

/** The link a person clicks: the href of the HTML mail's button. */
export function readLink(mail: ReceivedMail): string {
  const match = /<a class="button" href="([^"]+)"/.exec(mail.html);
  if (!match?.[1]) throw new Error(`no link in the mail "${mail.subject}":\n${mail.html}`);
  return match[1].replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => HTML_ENTITIES[name] ?? "");
}
