import type { AddressInfo } from "node:net";
import { type AddressObject, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { MimeRefusal } from "../../src/mail/addresses.js";
import { createMessageBuilder } from "../../src/mail/mime.js";
import {
  createMailRenderer,
  type MailSettings,
  type RenderedMail,
  sampleMailContent,
} from "../../src/mail/templates.js";
import { createSmtpTransport, PermanentDeliveryError } from "../../src/mail/transports.js";

const NOW = Date.UTC(2026, 10, 29, 14, 32);
const FROM = "Acme <no-reply@acme.example>";
const TO = "jana@example.de";
const settings: MailSettings = {
  appName: "Müller & Söhne",
  publicUrl: new URL("https://auth.acme.example"),
  timeZone: "Europe/Berlin",
  codeInSubject: false,
};
const renderer = createMailRenderer(settings, () => NOW);
const germanSignIn = renderer.render(sampleMailContent("SIGNIN", NOW), "de");
const germanSignUp = renderer.render(sampleMailContent("SIGNUP", NOW), "de");
const englishSignIn = renderer.render(sampleMailContent("SIGNIN", NOW), "en");

const build = createMessageBuilder(FROM);

function withSubject(subject: string, mail: RenderedMail = englishSignIn): RenderedMail {
  return { ...mail, subject };
}

function lines(raw: string): string[] {
  return raw.split("\r\n").slice(0, -1);
}

function headerBlock(raw: string): string {
  return raw.slice(0, raw.indexOf("\r\n\r\n") + 2);
}

function firstAddress(field: AddressObject | AddressObject[] | undefined) {
  return (Array.isArray(field) ? field[0] : field)?.value[0];
}

describe("a built sign-in message", () => {
  it("reads in a German mail client with the subject and body exactly as rendered", async () => {
    expect(germanSignUp.subject).toMatch(/Bestätigen Sie Ihr Müller & Söhne-Konto/);
    for (const mail of [germanSignIn, germanSignUp]) {
      const parsed = await simpleParser(build(TO, mail).raw);
      expect(parsed.subject).toBe(mail.subject);
      expect(parsed.text).toBe(mail.text);
      expect(parsed.html).toBe(mail.html);
    }
  });

  it("carries the plain-text part first and the HTML part second, both intact", async () => {
    const { raw } = build(TO, englishSignIn);
    expect(raw.indexOf("Content-Type: text/plain; charset=utf-8")).toBeGreaterThan(0);
    expect(raw.indexOf("Content-Type: text/html; charset=utf-8")).toBeGreaterThan(
      raw.indexOf("Content-Type: text/plain; charset=utf-8"),
    );
    const parsed = await simpleParser(raw);
    expect(parsed.text).toBe(englishSignIn.text);
    expect(parsed.html).toBe(englishSignIn.html);
    expect(parsed.headers.get("content-type")).toMatchObject({ value: "multipart/alternative" });
  });

  it("sends text with any kind of line break in its canonical CRLF form, and it reads back the same", async () => {
    const mail = { ...englishSignIn, text: "one\ntwo\r\nthree\rfour\n", html: "<p>one</p>\n<p>two</p>\r\n" };
    const { raw } = build(TO, mail);
    const parts = [...raw.matchAll(/base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/g)].map((match) =>
      Buffer.from(match[1]!, "base64").toString("utf8"),
    );
    expect(parts).toEqual(["one\r\ntwo\r\nthree\r\nfour\r\n", "<p>one</p>\r\n<p>two</p>\r\n"]);
    const parsed = await simpleParser(raw);
    expect(parsed.text).toBe("one\ntwo\nthree\nfour\n");
    expect(parsed.html).toBe("<p>one</p>\n<p>two</p>\n");
  });

  it("names the sender, the recipient, the date and the language, and is marked auto-generated", async () => {
    const parsed = await simpleParser(build(TO, germanSignIn, new Date(NOW)).raw);
    expect(firstAddress(parsed.from)).toEqual({ name: "Acme", address: "no-reply@acme.example" });
    expect(firstAddress(parsed.to)).toEqual({ name: "", address: TO });
    expect(parsed.date?.getTime()).toBe(NOW);
    expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
    expect(parsed.headers.get("content-language")).toBe("de");
    expect(parsed.headers.get("mime-version")).toBe("1.0");
  });

  it("folds a long subject onto lines of at most 78 characters, and it still reads the same", async () => {
    const subjects = [
      `${"Please confirm the sign-in request you made a moment ago ".repeat(4)}at 14:32`,
      `Bitte bestätigen Sie die Anmeldung, die Sie gerade angefordert haben, ${"äöüß ".repeat(30)}Ende`,
      `Emoji 🔐 across encoded words: ${"🔐".repeat(40)}`,
      `One unbreakable word: ${"x".repeat(120)}`,
      "Looks like an encoded word =?UTF-8?B?SGFsbG8=?= but is plain text",
    ];
    for (const subject of subjects) {
      const { raw } = build(TO, withSubject(subject));
      const subjectLines = headerBlock(raw).match(/^Subject:.*\r\n(?:[ \t].*\r\n)*/m)?.[0] ?? "";
      expect(lines(subjectLines).length).toBeGreaterThan(1);
      for (const line of lines(subjectLines)) expect(line.length).toBeLessThanOrEqual(78);
      for (const word of subjectLines.match(/=\?[^?]*\?B\?[^?]*\?=/g) ?? []) {
        expect(word.length).toBeLessThanOrEqual(75);
      }
      expect((await simpleParser(raw)).subject).toBe(subject);
    }
  });

  it("keeps every line within 998 characters, ends every line with CRLF, and stays 7-bit", () => {
    const long = withSubject("ä".repeat(500), { ...germanSignUp, html: `<p>${"x".repeat(5000)}</p>\n` });
    for (const mail of [germanSignIn, germanSignUp, englishSignIn, long]) {
      const { raw } = build(TO, mail);
      expect(raw.endsWith("\r\n")).toBe(true);
      expect(raw.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      expect(raw).toMatch(/^[\x20-\x7e\r\n]*$/);
      for (const line of lines(raw)) expect(line.length).toBeLessThanOrEqual(998);
    }
  });

  it.each([
    ['"Acme, Inc." <no-reply@acme.example>', "Acme, Inc."],
    ['"Acme \\"Sign-in\\" Desk" <no-reply@acme.example>', 'Acme "Sign-in" Desk'],
    ['"Acme (EU) \\\\ Login" <no-reply@acme.example>', "Acme (EU) \\ Login"],
    ["Müller & Söhne Anmeldung <no-reply@acme.example>", "Müller & Söhne Anmeldung"],
    [
      '"Jürgen, Müller & Söhne – der Anmeldedienst für alle Konten" <no-reply@acme.example>',
      "Jürgen, Müller & Söhne – der Anmeldedienst für alle Konten",
    ],
    ["no-reply@acme.example", ""],
  ])("shows the sender %s as its name and address", async (from, name) => {
    const message = createMessageBuilder(from)(TO, germanSignIn);
    expect(message.envelope).toEqual({ from: "no-reply@acme.example", to: [TO] });
    for (const line of lines(headerBlock(message.raw))) expect(line.length).toBeLessThanOrEqual(78);
    const parsed = await simpleParser(message.raw);
    expect(firstAddress(parsed.from)).toEqual({ name, address: "no-reply@acme.example" });
  });

  it("gives every message its own Message-ID at the sender's domain", async () => {
    const messages = Array.from({ length: 200 }, () => build(TO, englishSignIn));
    const ids = new Set(messages.map((message) => message.messageId));
    expect(ids.size).toBe(messages.length);
    for (const id of ids) expect(id).toMatch(/^<[A-Za-z0-9_-]{22}@acme\.example>$/);
    expect((await simpleParser(messages[0]!.raw)).messageId).toBe(messages[0]!.messageId);
  });
});

describe("header injection", () => {
  it.each([
    ["CR LF", "Sign in\r\nBcc: attacker@evil.example"],
    ["LF", "Sign in\nBcc: attacker@evil.example"],
    ["CR", "Sign in\rBcc: attacker@evil.example"],
    ["NUL", "Sign in\u0000"],
  ])("refuses a subject containing %s, and builds no message", (_, subject) => {
    expect(() => build(TO, withSubject(subject))).toThrow(MimeRefusal);
  });

  it.each([
    ["a value with CR LF", { "Auto-Submitted": "auto-generated\r\nBcc: attacker@evil.example" }],
    ["a value with LF", { "Content-Language": "de\nBcc: attacker@evil.example" }],
    ["a name with a colon", { "X-Bad:Name": "1" }],
    ["a name with a space", { "X Bad": "1" }],
    ["a name with CR LF", { "X-Bad\r\nBcc": "attacker@evil.example" }],
    ["a second recipient header", { Bcc: "attacker@evil.example" }],
    ["a second content type", { "Content-Type": "text/html" }],
  ])("refuses an extra header with %s", (_, headers) => {
    expect(() => build(TO, { ...englishSignIn, headers })).toThrow(MimeRefusal);
  });

  it.each([
    "jana@example.de\r\nBcc: attacker@evil.example",
    "jana@example.de\n",
    "jana@example.de, attacker@evil.example",
    "jana@example.de attacker@evil.example",
    "Jana <jana@example.de>",
    "group: jana@example.de;",
    "jana@example.de\u0000",
    "=?utf-8?q?ceo=40bank.example=3e_?=@attacker.example",
    "",
  ])("refuses the recipient %j", (to) => {
    expect(() => build(to, englishSignIn)).toThrow(MimeRefusal);
  });

  it.each([
    "Acme <no-reply@acme.example>\r\nBcc: attacker@evil.example",
    "Acme <no-reply@acme.example\r\n>",
    "no-reply@acme.example, attacker@evil.example",
    "Acme",
    "Team: no-reply@acme.example;",
    "a@acme.example b@evil.example",
    "a@acme.example <b@evil.example>",
    "Acme <a@acme.example> <b@evil.example>",
    'Acme <no-reply@evil.example>" <no-reply@acme.example>',
    "Acme, Inc. <no-reply@acme.example>",
    "Acme <no-reply@acme.example",
    "Acme <a@acme.example>>",
    "Acme <a@acme.example>;",
    "Acme no-reply@acme.example",
    "Acme <no-reply@acme.example> trailing",
    "=?utf-8?b?QWNtZQ==?= <no-reply@acme.example>",
  ])("refuses the sender %j when the transport is set up", (from) => {
    expect(() => createMessageBuilder(from)).toThrow(MimeRefusal);
  });
});

interface Received {
  raw: string;
  mailFrom: string;
  rcptTo: string[];
}

/** An SMTP server on loopback that keeps each message as received. */
async function startSink() {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const { mailFrom, rcptTo } = session.envelope;
        received.push({
          raw: Buffer.concat(chunks).toString("latin1"),
          mailFrom: mailFrom ? mailFrom.address : "",
          rcptTo: rcptTo.map((recipient) => recipient.address),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?tls=off`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("the SMTP transport", () => {
  let sink: Awaited<ReturnType<typeof startSink>> | undefined;
  let transport: ReturnType<typeof createSmtpTransport> | undefined;
  afterEach(async () => {
    await transport?.close();
    await sink?.close();
  });

  it("delivers the German mail over SMTP with its subject, both parts and its Message-ID", async () => {
    sink = await startSink();
    transport = createSmtpTransport({ smtpUrl: sink.url, from: '"Müller & Söhne" <no-reply@acme.example>' });
    const result = await transport.send({ ...germanSignUp, to: TO, code: "042137", link: undefined });

    expect(sink.received).toHaveLength(1);
    const [mail] = sink.received;
    expect(mail).toMatchObject({ mailFrom: "no-reply@acme.example", rcptTo: [TO] });
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.subject).toBe(germanSignUp.subject);
    expect(parsed.text).toBe(germanSignUp.text);
    expect(parsed.html).toBe(germanSignUp.html);
    expect(firstAddress(parsed.from)).toEqual({ name: "Müller & Söhne", address: "no-reply@acme.example" });
    expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
    expect(result).toEqual({ providerMessageId: parsed.messageId });
  });

  it("fails a mail it cannot build permanently, and sends nothing", async () => {
    sink = await startSink();
    transport = createSmtpTransport({ smtpUrl: sink.url, from: FROM });
    const mail = {
      ...withSubject("Hi\r\nBcc: attacker@evil.example"),
      to: TO,
      code: undefined,
      link: undefined,
    };
    await expect(transport.send(mail)).rejects.toThrow(PermanentDeliveryError);
    await expect(
      transport.send({
        ...englishSignIn,
        to: `${TO}, attacker@evil.example`,
        code: undefined,
        link: undefined,
      }),
    ).rejects.toThrow(PermanentDeliveryError);
    expect(sink.received).toHaveLength(0);
  });
});
