import { randomToken } from "../security/crypto.js";
import { isAddrSpec, type Mailbox, MimeRefusal, parseSender, refuseControlCharacters } from "./addresses.js";
import type { RenderedMail } from "./templates.js";

/**
 * Builds the RFC 5322 / MIME message of a rendered mail ourselves, so nodemailer only
 * transports it: composing through nodemailer's MimeNode tree cost several percent of a
 * sign-in's CPU. The message is 7-bit ASCII with CRLF line endings: headers are ASCII or
 * RFC 2047 encoded-words, the text and HTML parts are base64.
 */

export interface MimeMessage {
  /** The whole message, ready for the DATA command. */
  raw: string;
  /** The Message-ID header's value, angle brackets included. */
  messageId: string;
  envelope: { from: string; to: string[] };
}

const CRLF = "\r\n";
/** RFC 5322 §2.1.1: lines SHOULD stay within 78 characters and MUST stay within 998. */
const FOLD_AT = 78;
const MAX_LINE = 998;
const BASE64_LINE = 76;
const ENCODED_WORD_PREFIX = "=?UTF-8?B?";
const ENCODED_WORD_SUFFIX = "?=";
/** RFC 2047 §2: an encoded-word is at most 75 characters. */
const MAX_ENCODED_WORD = 75;

/** RFC 5322 §3.6.8: printable ASCII except the colon. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ATEXT_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*$/;

/** Headers this module writes itself; an extra header may not add a second one. */
const OWN_HEADERS = new Set([
  "from",
  "sender",
  "reply-to",
  "to",
  "cc",
  "bcc",
  "subject",
  "date",
  "message-id",
  "mime-version",
]);

function assertRecipient(to: string): void {
  if (!isAddrSpec(to)) throw new MimeRefusal("invalid_recipient", "the recipient is not one bare address");
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}

/** How many bytes an encoded-word of at most `characters` characters holds: whole base64 quanta only. */
function bytesPerWord(characters: number): number {
  const base64Characters = characters - ENCODED_WORD_PREFIX.length - ENCODED_WORD_SUFFIX.length;
  return Math.floor(base64Characters / 4) * 3;
}

function encodedWord(text: string): string {
  return `${ENCODED_WORD_PREFIX}${Buffer.from(text, "utf8").toString("base64")}${ENCODED_WORD_SUFFIX}`;
}

/**
 * RFC 2047 B encoded-words for the whole value. Each word holds whole characters (a
 * character's UTF-8 bytes are never split between words) and fits a line of its own; the
 * first one also fits after `Field: `.
 */
function encodedWords(value: string, firstLineRoom: number): string[] {
  const encoded: string[] = [];
  let room = bytesPerWord(Math.min(firstLineRoom, MAX_ENCODED_WORD));
  let start = 0;
  let bytes = 0;
  for (let index = 0; index < value.length; ) {
    const codePoint = value.codePointAt(index)!;
    const size = utf8Length(codePoint);
    if (bytes + size > room) {
      encoded.push(encodedWord(value.slice(start, index)));
      start = index;
      bytes = 0;
      room = bytesPerWord(Math.min(FOLD_AT - 1, MAX_ENCODED_WORD));
    }
    bytes += size;
    index += codePoint > 0xffff ? 2 : 1;
  }
  encoded.push(encodedWord(value.slice(start)));
  return encoded;
}

/** Splits at single spaces; a run of spaces stays on the word before it, so no folded line is blank. */
function words(value: string): string[] {
  return value.split(/ (?=[^ ])/);
}

function fitsUnencoded(tokens: string[], firstLineRoom: number): boolean {
  return tokens.every((token) => token.length <= firstLineRoom);
}

/** The room after `Field: ` on a header's first line. */
function firstLineRoom(field: string): number {
  return FOLD_AT - field.length - 2;
}

/**
 * `Field: token token…` folded before a token wherever the line would pass 78 characters
 * (RFC 5322 §2.2.3: unfolding removes only the CRLF, so the value is unchanged).
 */
function headerLine(field: string, tokens: string[]): string {
  let header = `${field}:`;
  let lineLength = header.length;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (index > 0 && lineLength + 1 + token.length > FOLD_AT) {
      header += CRLF;
      lineLength = 0;
    }
    header += ` ${token}`;
    lineLength += 1 + token.length;
    if (lineLength > MAX_LINE)
      throw new MimeRefusal("invalid_header", `${field} has a line too long to fold`);
  }
  return header + CRLF;
}

/** Plain ASCII words when they fold, encoded-words otherwise; a literal `=?` is encoded too, so no reader decodes it. */
function unstructuredTokens(field: string, value: string): string[] {
  const room = firstLineRoom(field);
  if (PRINTABLE_ASCII.test(value) && !value.includes("=?")) {
    const plain = words(value);
    if (fitsUnencoded(plain, room)) return plain;
  }
  return encodedWords(value, room);
}

/** A display name: atoms, a quoted-string when it has specials, encoded-words when it is not plain ASCII. */
function displayNameTokens(name: string): string[] {
  const room = firstLineRoom("From");
  if (PRINTABLE_ASCII.test(name) && !name.includes("=?")) {
    const phrase = ATEXT_PHRASE.test(name) ? name : `"${name.replace(/["\\]/g, "\\$&")}"`;
    const plain = words(phrase);
    if (fitsUnencoded(plain, room)) return plain;
  }
  return encodedWords(name, room);
}

function fromLine({ name, address }: Mailbox): string {
  return headerLine("From", name ? [...displayNameTokens(name), `<${address}>`] : [address]);
}

/** Only structured values such as `auto-generated` or `de`: printable ASCII, never a header this module writes. */
function extraHeaderLines(headers: Record<string, string>): string {
  let lines = "";
  for (const [field, value] of Object.entries(headers)) {
    if (!FIELD_NAME.test(field))
      throw new MimeRefusal("invalid_header", "an extra header's name is not a field name");
    const lower = field.toLowerCase();
    if (OWN_HEADERS.has(lower) || (lower.startsWith("content-") && lower !== "content-language")) {
      throw new MimeRefusal("invalid_header", `${field} may not be set as an extra header`);
    }
    if (!PRINTABLE_ASCII.test(value)) {
      throw new MimeRefusal("invalid_header", `${field} is not printable ASCII (CR, LF, NUL…)`);
    }
    lines += headerLine(field, words(value));
  }
  return lines;
}

/** RFC 5322 §3.3 with the numeric zone it asks for: `Mon, 30 Nov 2026 06:18:15 +0000`. */
function formatDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, "+0000");
}

/** RFC 2045 §6.8: text is encoded in its canonical form, with CRLF line breaks. */
function canonicalLineBreaks(text: string): string {
  // The rendered mails have bare LFs only; replaceAll on them is a third cheaper than the regex.
  return text.includes("\r") ? text.replace(/\r\n|\r|\n/g, CRLF) : text.replaceAll("\n", CRLF);
}

/** Base64 in lines of 76 characters. */
function base64Body(text: string): string {
  const encoded = Buffer.from(canonicalLineBreaks(text), "utf8").toString("base64");
  let body = "";
  for (let start = 0; start < encoded.length; start += BASE64_LINE) {
    body += encoded.slice(start, start + BASE64_LINE) + CRLF;
  }
  return body;
}

function part(boundary: string, contentType: string, content: string): string {
  return (
    `--${boundary}${CRLF}Content-Type: ${contentType}; charset=utf-8${CRLF}` +
    `Content-Transfer-Encoding: base64${CRLF}${CRLF}${base64Body(content)}`
  );
}

export type MessageBuilder = (to: string, mail: RenderedMail, date?: Date) => MimeMessage;

/** Parses the sender once (it throws on a bad one); the builder it returns throws MimeRefusal for a bad recipient or header. */
export function createMessageBuilder(from: string): MessageBuilder {
  const sender = parseSender(from);
  const fromHeader = fromLine(sender);
  const domain = sender.address.slice(sender.address.lastIndexOf("@") + 1);

  return function buildMessage(to, mail, date = new Date()) {
    assertRecipient(to);
    refuseControlCharacters("Subject", mail.subject);
    const headers =
      fromHeader +
      headerLine("To", [to]) +
      headerLine("Subject", unstructuredTokens("Subject", mail.subject));
    const extra = extraHeaderLines(mail.headers);
    const messageId = `<${randomToken(16)}@${domain}>`;
    // Base64 lines never start with "--", so no body line can look like this boundary.
    const boundary = `=_${randomToken(12)}`;
    const raw =
      headers +
      `Date: ${formatDate(date)}${CRLF}` +
      `Message-ID: ${messageId}${CRLF}` +
      `MIME-Version: 1.0${CRLF}` +
      extra +
      `Content-Type: multipart/alternative; boundary="${boundary}"${CRLF}${CRLF}` +
      part(boundary, "text/plain", mail.text) +
      part(boundary, "text/html", mail.html) +
      `--${boundary}--${CRLF}`;
    return { raw, messageId, envelope: { from: sender.address, to: [to] } };
  };
}
