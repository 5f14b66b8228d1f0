import { isIP, isIPv4, isIPv6 } from "node:net";

/**
 * Fastify's `trustProxy` for the TRUST_PROXY setting (SECURITY.md 35). Off: forwarded
 * headers are ignored and the socket peer is the client. A list of proxy addresses or
 * CIDRs: those are trusted and the right-most untrusted hop is the client. A hop count N:
 * the socket peer and the N-1 hops before it are trusted proxies, so with 1 the
 * right-most X-Forwarded-For entry — the one our proxy appended — is the client; anything
 * a client wrote to the left of it is ignored. (Fastify itself ignores a bare number, so
 * it is turned into this trust function.) Only use a hop count when nothing can reach the
 * server except through the proxy; prefer the proxy's addresses.
 */
export function trustProxyOption(
  setting: false | number | readonly string[],
): false | string[] | ((address: string, hopIndex: number) => boolean) {
  if (setting === false) return false;
  if (typeof setting === "number") {
    const hops = setting;
    return (_address, hopIndex) => hopIndex < hops;
  }
  return [...setting];
}

/**
 * Whether the TCP peer is a proxy TRUST_PROXY names, that forwarded this request. Only then
 * may headers it sets (the client's place, say) be believed: a client that connects
 * directly can send the same headers. Fastify's `ips` holds the peer and, when the peer is
 * trusted, the addresses it forwarded.
 */
export function cameThroughTrustedProxy(request: { ips?: string[] | undefined }): boolean {
  return (request.ips?.length ?? 0) > 1;
}

/** Where every forwarded value that is not an IP address is counted: all together, as one client. */
export const UNKNOWN_CLIENT = "unknown";

/**
 * The client's IP address from `request.ip`, which with TRUST_PROXY is whatever the proxy
 * forwarded: a port (`203.0.113.9:5123`, `[2001:db8::1]:443`) is dropped, and a value
 * that is no IP address at all becomes UNKNOWN_CLIENT, so neither can pose as a new client.
 */
export function clientAddressOf(forwarded: string): string {
  const value = forwarded.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(value);
  const address = bracketed?.[1] ?? ipv4WithPort?.[1] ?? value;
  return isIP(address.split("%")[0] ?? "") ? address : UNKNOWN_CLIENT;
}

/** The eight 16-bit groups of an IPv6 address, or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  const [head = "", tail] = address.split("::");
  const parse = (part: string) =>
    part === "" ? [] : part.split(":").map((group) => Number.parseInt(group, 16));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((group) => Number.isInteger(group)) ? groups : undefined;
}

/**
 * The key a client IP is counted under (SECURITY.md 34, 35). One IPv4 address is one
 * client, and an IPv4-mapped IPv6 address is that IPv4 address. An IPv6 client is its /64:
 * one subscriber usually holds a whole /64 and could otherwise rotate through 2^64
 * addresses to dodge every per-IP limit.
 */
export function clientKeyOf(ip: string): string {
  const address = clientAddressOf(ip);
  const unzoned = address.split("%")[0] ?? address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unzoned);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(unzoned) || !isIPv6(unzoned)) return unzoned;
  if (unzoned.includes(".")) return unzoned.toLowerCase();
  const groups = ipv6Groups(unzoned.toLowerCase());
  if (!groups) return unzoned.toLowerCase();
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}
