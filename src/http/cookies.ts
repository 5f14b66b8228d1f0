import { parseCookie, type SerializeOptions, stringifySetCookie } from "cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";

export type CookieOptions = Omit<SerializeOptions, "encode">;

declare module "fastify" {
  interface FastifyRequest {
    /** The request's cookies by name (the first of a repeated name), parsed on first read. */
    readonly cookies: Readonly<Record<string, string | undefined>>;
  }
  interface FastifyReply {
    /** Adds a `Set-Cookie`; a later cookie of the same name, domain and path replaces it. */
    setCookie(name: string, value: string, options?: CookieOptions): FastifyReply;
    /** Tells the browser to drop the cookie set with these name, domain and path. */
    clearCookie(name: string, options?: CookieOptions): FastifyReply;
  }
}

const parsedCookies = Symbol("parsedCookies");
const pendingCookies = Symbol("pendingCookies");

type CookieRequest = FastifyRequest & { [parsedCookies]?: Record<string, string | undefined> };
type CookieReply = FastifyReply & { [pendingCookies]?: Map<string, string> };

function readCookies(this: CookieRequest) {
  let cookies = this[parsedCookies];
  if (cookies === undefined) {
    const header = this.headers.cookie;
    cookies = header ? parseCookie(header) : {};
    this[parsedCookies] = cookies;
  }
  return cookies;
}

function setCookie(this: CookieReply, name: string, value: string, options: CookieOptions = {}) {
  const attributes = { sameSite: "lax" as const, ...options };
  const pending = this[pendingCookies] ?? new Map<string, string>();
  this[pendingCookies] = pending;
  pending.set(
    `${name};${attributes.domain};${attributes.path ?? "/"}`,
    stringifySetCookie({ name, value, ...attributes }),
  );
  this.removeHeader("set-cookie");
  return this.header("set-cookie", [...pending.values()]);
}

function clearCookie(this: CookieReply, name: string, options: CookieOptions = {}) {
  return this.setCookie(name, "", { path: "/", ...options, expires: new Date(0), maxAge: 0 });
}

/**
 * Cookies without a hook on every request: `request.cookies` is parsed the first time a
 * route reads it, and `reply.setCookie` writes its `Set-Cookie` header at once. (The
 * @fastify/cookie plugin parsed every request's cookies in an onRequest hook and wrote
 * them in an onSend hook, which a session check paid for on every call.)
 */
export const cookiesPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest("cookies", { getter: readCookies });
    app.decorateReply("setCookie", setCookie);
    app.decorateReply("clearCookie", clearCookie);
  },
  { name: "cookies" },
);
