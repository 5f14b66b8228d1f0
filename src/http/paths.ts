/** Where the auth API lives: the routes' prefix, and the path of the refresh and binding cookies. */
export const API_PREFIX = "/api/auth";

/**
 * A request URL's path as Fastify's router reads it: up to the query or a '#' (a browser
 * never sends one, but a raw request line can). Checks that match paths use this, so they
 * see the path the request is routed by.
 */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}
