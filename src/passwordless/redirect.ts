import { AppError } from "../errors.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const FORBIDDEN = /[\u0000-\u001f\u007f\\\s]/;

/**
 * Validates a client-supplied `magiclink_auth_uri` (SECURITY.md 11, 12): parsed, then its
 * origin compared exactly against the allow-list. Userinfo, backslashes, control
 * characters, non-http(s) schemes, fragments and plain http outside localhost are refused.
 * Throws `invalid_redirect_uri`.
 */
export function parseAllowedRedirect(
  value: string,
  { allowedOrigins, isProduction }: { allowedOrigins: readonly string[]; isProduction: boolean },
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
  if (url.username || url.password || url.hash) throw refuse();
  const isLocalhost = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol === "http:" && (isProduction || !isLocalhost)) throw refuse();
  if (!allowedOrigins.includes(url.origin)) throw refuse();
  url.searchParams.delete("link_token");
  return url;
}

/** The magic link: the validated base with the token as its `link_token` parameter. */
export function buildMagicLink(base: URL, linkToken: string): string {
  const link = new URL(base);
  link.searchParams.set("link_token", linkToken);
  return link.toString();
}
