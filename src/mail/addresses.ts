import { domainToASCII } from "node:url";

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

/**
 * `local@domain`: a dot-atom local part and an ASCII host name, nothing else (no name, comment
 * or list), and no `=?` a reader could decode as an RFC 2047 word (RFC 2047 §5 keeps them out of addresses).
 */
export function isAddrSpec(address: string): boolean {
  if (address.length > MAX_ADDRESS || address.includes("=?")) return false;
  const at = address.lastIndexOf("@");
  return at > 0 && DOT_ATOM.test(address.slice(0, at)) && HOST_NAME.test(address.slice(at + 1));
}

/** Characters a display name may hold only inside quotes (RFC 5322 specials; "." is allowed as obs-phrase does). */
const UNQUOTED_NAME_SPECIALS = /[()<>[\]:;@\\,"]/;
const QUOTED_NAME = /^"((?:[^"\\]|\\.)*)"$/;
const NAME_AND_ADDRESS = /^(.*)<([^<>]*)>$/s;

function refuseSender(value: string): never {
  throw new MimeRefusal("invalid_sender", `not one mailbox: ${value}`);
}

/** The display name before `<addr>`: a quoted string, or words without specials; never an encoded-word. */
function displayName(phrase: string, value: string): string {
  if (phrase.includes("=?")) refuseSender(value);
  if (phrase.startsWith('"')) {
    const quoted = QUOTED_NAME.exec(phrase);
    if (!quoted) refuseSender(value);
    return (quoted[1] ?? "").replace(/\\(.)/g, "$1");
  }
  if (UNQUOTED_NAME_SPECIALS.test(phrase)) refuseSender(value);
  return phrase.replace(/\s+/g, " ");
}

/**
 * Parses MAIL_FROM strictly as one mailbox: `addr`, `Name <addr>` or `"Quoted, Name" <addr>`
 * (a name may be Unicode; it is encoded when written). Anything else is refused rather than
 * guessed at: a second address, a stray `<`, `>` or quote, a list or group. An
 * internationalized domain is converted to its ASCII form.
 */
export function parseSender(value: string): Mailbox {
  refuseControlCharacters("the sender", value);
  const text = value.trim();
  const bracketed = NAME_AND_ADDRESS.exec(text);
  const name = bracketed ? displayName((bracketed[1] ?? "").trim(), value) : "";
  const addressText = bracketed ? (bracketed[2] ?? "") : text;
  const at = addressText.lastIndexOf("@");
  const domain = at > 0 ? domainToASCII(addressText.slice(at + 1)) : "";
  const address = `${addressText.slice(0, at)}@${domain}`;
  if (!domain || !isAddrSpec(address)) refuseSender(value);
  return { name, address };
}
