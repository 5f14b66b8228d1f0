import { domainToASCII, domainToUnicode } from "node:url";

/**
 * The canonical form of an email address, or undefined when it is not one bare,
 * deliverable address. Policy (SECURITY.md 38, 39):
 * - one bare address: no display name, list, comment, quoted local part or IP literal;
 * - no control characters, CR, LF or NUL anywhere;
 * - the local part must be ASCII (non-ASCII local parts are refused, so Unicode case
 *   mapping such as dotless ı or ß can never fold two addresses into one account), and
 *   holds no `=?`: mail readers would decode it as an RFC 2047 word and show another address;
 * - the domain is converted to its ASCII (punycode) form by UTS #46, and refused when that
 *   conversion would change it beyond case and IDNA (a `/ ? # %` or `\`, full-width dots,
 *   compatibility characters): `alice@evil.com/.example.com` is no address, never alice@evil.com;
 * - the whole address is lower-cased (ASCII only), so Alice@Example.COM is alice@example.com;
 * - RFC 5321 lengths: local part <= 64, address <= 254.
 * The canonical string is what is stored and, byte for byte, what mail is sent to.
 */
export function canonicalizeEmail(input: string): string | undefined {
  const trimmed = input.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return undefined;
  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at === trimmed.length - 1) return undefined;
  const localPart = trimmed.slice(0, at);
  const domain = toAsciiDomain(trimmed.slice(at + 1));
  if (!domain || !isDotAtom(localPart) || localPart.length > 64 || localPart.includes("=?")) return undefined;
  const canonical = `${localPart}@${domain}`.toLowerCase();
  return canonical.length <= 254 ? canonical : undefined;
}

const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;

function isDotAtom(localPart: string): boolean {
  return localPart.split(".").every((atom) => ATEXT.test(atom));
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function toAsciiDomain(domain: string): string | undefined {
  if (domain.startsWith("[") || /[\s,;<>()"\\@]/.test(domain)) return undefined;
  const ascii = domainToASCII(domain);
  if (!ascii || ascii.length > 253) return undefined;
  // What was typed must be the ASCII form or its Unicode form, up to case and NFC: no silent mapping.
  const typed = domain.toLowerCase().normalize("NFC");
  if (ascii !== typed && domainToUnicode(ascii) !== typed) return undefined;
  const labels = ascii.split(".");
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1] ?? "")) return undefined;
  return ascii;
}
