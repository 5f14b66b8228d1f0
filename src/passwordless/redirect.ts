import { AppError } from "../errors.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const FORBIDDEN = /[\u0000-\u001f\u007f\\\s]/;

/** Percent-encoded dot, slash or backslash: a path that hides a `..` or a separator from the prefix check. */
const ENCODED_SEPARATOR = /%(2e|2f|5c)/i;

/** Whether `url` lies under `prefix`: same origin, and the path continues the prefix's at a segment boundary. */
function isUnder(url: URL, prefix: URL): boolean {
  if (url.origin !== prefix.origin) return false;
  const base = prefix.pathname;
  if (url.pathname === base) return true;
  return url.pathname.startsWith(base.endsWith("/") ? base : `${base}/`);
}

/**
 * Validates a client-supplied `magiclink_auth_uri` (SECURITY.md 11, 12): parsed (which
 * resolves `..` segments), then accepted when its origin is exactly an allowed origin or
 * it lies under an allowed URL prefix (`ALLOWED_REDIRECT_URIS`). Userinfo, backslashes,
 * control characters, encoded dots and slashes, non-http(s) schemes, fragments and plain
 * http outside localhost are refused. Throws `invalid_redirect_uri`.
 */
export function parseAllowedRedirect(
  value: string,
  {
    allowedOrigins,
    allowedPrefixes = [],
    isProduction,
  }: { allowedOrigins: readonly string[]; allowedPrefixes?: readonly URL[]; isProduction: boolean },
): URL {
  const refuse = () => new AppError("invalid_redirect_uri");
  if (FORBIDDEN.test(value) || value.length > 2048) throw refuse();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse();
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw refuse();
  if (url.username || url.password || url.hash || ENCODED_SEPARATOR.test(url.pathname)) throw refuse();
  const isLocalhost = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol === "http:" && (isProduction || !isLocalhost)) throw refuse();
  const isAllowed =
    allowedOrigins.includes(url.origin) || allowedPrefixes.some((prefix) => isUnder(url, prefix));
  if (!isAllowed) throw refuse();
  url.searchParams.delete("link_token");
  return url;
}

/** The magic link: the validated base with the token as its `link_token` parameter. */
export function buildMagicLink(base: URL, linkToken: string): string {
  const link = new URL(base);
  link.searchParams.set("link_token", linkToken);
  return link.toString();
}
