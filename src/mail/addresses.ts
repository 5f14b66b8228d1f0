import { domainToASCII } from "node:url";
import addressparser from "nodemailer/lib/addressparser";

/** One address with its display name ("" when there is none). */
export interface Mailbox {
  name: string;
  address: string;
}

/** A message that cannot be built from these values; no retry can change that. */
export class MimeRefusal extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "MimeRefusal";
    this.code = code;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters (CR, LF, NUL…) is the point.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const MAX_ADDRESS = 254;

export function refuseControlCharacters(field: string, value: string): void {
  if (CONTROL_CHARACTERS.test(value)) {
    throw new MimeRefusal("invalid_header", `${field} contains a control character (CR, LF, NUL…)`);
  }
}

/** `local@domain`: a dot-atom local part and an ASCII host name, nothing else (no name, comment or list). */
export function isAddrSpec(address: string): boolean {
  if (address.length > MAX_ADDRESS) return false;
  const at = address.lastIndexOf("@");
  return at > 0 && DOT_ATOM.test(address.slice(0, at)) && HOST_NAME.test(address.slice(at + 1));
}

/**
 * Parses `Name <addr>`, `"Quoted, Name" <addr>` or `addr` (MAIL_FROM) with nodemailer's
 * address parser, and accepts exactly one mailbox. An internationalized domain is
 * converted to its ASCII form, as nodemailer did.
 */
export function parseSender(value: string): Mailbox {
  refuseControlCharacters("the sender", value);
  const parsed = addressparser(value);
  const mailbox = parsed[0];
  if (parsed.length !== 1 || !mailbox || mailbox.group || !mailbox.address) {
    throw new MimeRefusal("invalid_sender", `not one address: ${value}`);
  }
  const at = mailbox.address.lastIndexOf("@");
  const domain = at > 0 ? domainToASCII(mailbox.address.slice(at + 1)) : "";
  const address = `${mailbox.address.slice(0, at)}@${domain}`;
  if (!domain || !isAddrSpec(address))
    throw new MimeRefusal("invalid_sender", `not a usable address: ${value}`);
  return { name: mailbox.name.trim(), address };
}
