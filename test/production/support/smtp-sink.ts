import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface SinkMail {
  to: string;
  subject: string;
  code: string | undefined;
  link: string | undefined;
  autoSubmitted: string | undefined;
  receivedAt: number;
}

/**
 * How the sink answers: `accept` delivers; `refuse` answers 451 (try again later) to
 * MAIL FROM; `reject` answers 550 (permanent) to RCPT TO; `stall` takes the message and
 * never acknowledges it, like a server that hangs mid-transfer.
 */
export type SinkMode = "accept" | "refuse" | "reject" | "stall";

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** An SMTP server on 127.0.0.1:0 that keeps what it accepts, for outage and crash tests. */
export async function startSmtpSink(initialMode: SinkMode = "accept") {
  let mode: SinkMode = initialMode;
  let attempts = 0;
  const mails: SinkMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    closeTimeout: 500,
    onMailFrom(_address, _session, callback) {
      attempts += 1;
      if (mode === "refuse") return callback(smtpError("Mail service temporarily unavailable", 451));
      callback();
    },
    onRcptTo(_address, _session, callback) {
      if (mode === "reject") return callback(smtpError("No such mailbox", 550));
      callback();
    },
    onData(stream, _session, callback) {
      const isStalled = mode === "stall";
      simpleParser(stream)
        .then((parsed) => {
          if (isStalled) return;
          const text = parsed.text ?? "";
          const to = Array.isArray(parsed.to) ? parsed.to[0]?.text : parsed.to?.text;
          mails.push({
            to: to ?? "",
            subject: parsed.subject ?? "",
            code: /^ {4}(\d{6,8})$/m.exec(text)?.[1],
            link: /(https?:\/\/\S+link_token=\S+)/.exec(text)?.[1],
            autoSubmitted: parsed.headers.get("auto-submitted")?.toString(),
            receivedAt: Date.now(),
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    port,
    url: `smtp://127.0.0.1:${port}?tls=off`,
    mails,
    attempts: () => attempts,
    setMode(next: SinkMode) {
      mode = next;
    },
    mailsTo: (to: string) => mails.filter((mail) => mail.to === to),
    /** Resolves with the first accepted mail to `to`; polls every 10 ms up to `timeoutMs`. */
    async waitFor(to: string, timeoutMs = 10_000): Promise<SinkMail> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const mail = mails.find((candidate) => candidate.to === to);
        if (mail) return mail;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;
