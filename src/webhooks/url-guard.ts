import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Server-side request forgery guard for webhook URLs. The URL is checked when it is saved
 * (shape) and again at every delivery after DNS resolution (address), and the delivery
 * connects to the address checked here, so a DNS answer that changes between the check and
 * the connection (DNS rebinding) cannot point it inward.
 */

export interface UrlPolicy {
  isProduction: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: any address and, in production, http too. */
  allowPrivate: boolean;
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface DeliveryTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class RefusedUrlError extends Error {
  constructor(readonly reason: string) {
    super(`webhook URL refused: ${reason}`);
    this.name = "RefusedUrlError";
  }
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** Private, link-local, shared, reserved, multicast and unspecified ranges (RFC 6890 and friends). */
const internal = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  internal.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["64:ff9b::", 96],
  ["100::", 64],
] as const) {
  internal.addSubnet(network, prefix, "ipv6");
}

/** An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address it is. */
function unmapped(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return { address: mapped[1], family: "ipv4" };
  return { address, family: isIP(address) === 6 ? "ipv6" : "ipv4" };
}

/** Why an address may not be reached, or undefined when it may. */
export function refusalForAddress(rawAddress: string, policy: UrlPolicy): string | undefined {
  if (policy.allowPrivate) return undefined;
  const { address, family } = unmapped(rawAddress);
  if (loopback.check(address, family)) return policy.isProduction ? "loopback address" : undefined;
  if (internal.check(address, family)) return "private, link-local or reserved address";
  return undefined;
}

/** Checks what can be checked without DNS: scheme, credentials. Throws RefusedUrlError. */
export function parseWebhookUrl(value: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RefusedUrlError("not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new RefusedUrlError("not http(s)");
  if (url.protocol === "http:" && policy.isProduction && !policy.allowPrivate) {
    throw new RefusedUrlError("https required in production");
  }
  if (url.username || url.password) throw new RefusedUrlError("credentials in the URL");
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal)) {
    const refusal = refusalForAddress(literal, policy);
    if (refusal) throw new RefusedUrlError(refusal);
  }
  return url;
}

/**
 * The address a delivery connects to: every address the name resolves to must be allowed
 * (a mixed answer is refused, since the client might pick the internal one). Throws RefusedUrlError.
 */
export async function resolveDeliveryTarget(
  value: string,
  policy: UrlPolicy,
  resolve: Resolver = systemResolver,
): Promise<DeliveryTarget> {
  const url = parseWebhookUrl(value, policy);
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const answers = isIP(hostname)
    ? [{ address: hostname, family: isIP(hostname) }]
    : await resolve(hostname).catch(() => {
        throw new RefusedUrlError("name does not resolve");
      });
  if (answers.length === 0) throw new RefusedUrlError("name does not resolve");
  for (const answer of answers) {
    const refusal = refusalForAddress(answer.address, policy);
    if (refusal) throw new RefusedUrlError(refusal);
  }
  const first = answers[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
