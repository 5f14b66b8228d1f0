// In-process SMTP sink: accepts any mail on loopback, keeps the latest one per recipient
// and lets the driver await the next mail for an address.
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

const MAX_MESSAGE_BYTES = 256 * 1024;
// The driver reads only the text part; skipping mailparser's conversions keeps the driver core free.
const PARSE_OPTIONS = {
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  keepCidLinks: true,
};

export async function startSmtpSink() {
  const latest = new Map(); // address -> { seq, subject, text }
  const waiters = new Map(); // address -> Set<{ after, resolve }>
  let seq = 0;

  function deliver(address, mail) {
    latest.set(address, mail);
    for (const waiter of waiters.get(address) ?? []) {
      if (mail.seq > waiter.after) waiter.resolve(mail);
    }
  }

  const server = new SMTPServer({
    authOptional: true,
    // Servers under test must not attempt TLS against the sink's self-signed certificate.
    disabledCommands: ["AUTH", "STARTTLS"],
    // Reverse DNS of every client costs ~100 ms per connection and would be billed to the server under test.
    disableReverseLookup: true,
    logger: false,
    size: MAX_MESSAGE_BYTES,
    rejectOversized: true,
    async onData(stream, session, callback) {
      try {
        const parsed = await simpleParser(stream, PARSE_OPTIONS);
        const mail = { seq: ++seq, subject: parsed.subject ?? "", text: parsed.text ?? "" };
        for (const { address } of session.envelope.rcptTo) deliver(address.toLowerCase(), mail);
        callback();
      } catch (error) {
        callback(error);
      }
    },
  });
  server.on("error", (error) => console.error(`smtp sink: ${error.message}`));

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.server.address();

  return {
    url: `smtp://127.0.0.1:${port}`,
    /** A marker to pass to nextMail: only mail received after it counts. */
    mark: () => seq,
    /** Resolves with the first mail for `address` received after `after`, or rejects on timeout. */
    nextMail(address, after, timeoutMs) {
      const key = address.toLowerCase();
      const current = latest.get(key);
      if (current && current.seq > after) return Promise.resolve(current);
      return new Promise((resolve, reject) => {
        const set = waiters.get(key) ?? new Set();
        waiters.set(key, set);
        const waiter = { after, resolve: settle(resolve) };
        const timer = setTimeout(
          settle(() => reject(new Error(`no mail for ${address} within ${timeoutMs} ms`))),
          timeoutMs,
        );
        function settle(fn) {
          return (value) => {
            clearTimeout(timer);
            set.delete(waiter);
            if (set.size === 0) waiters.delete(key);
            fn(value);
          };
        }
        set.add(waiter);
      });
    },
    /** Drops stored mail so a long run does not grow without bound. */
    forget: (address) => latest.delete(address.toLowerCase()),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
