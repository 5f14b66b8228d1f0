import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { DeliveryTarget } from "./url-guard.js";

export interface WebhookResponse {
  status: number;
}

const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one signed payload to the checked address: the socket connects to `target.address`
 * (never a second DNS answer), while Host and TLS SNI/certificate checks use the URL's name.
 * Redirects are not followed: a 3xx is a failed delivery like any other non-2xx.
 */
export function postWebhook(
  target: DeliveryTarget,
  headers: Record<string, string>,
  body: string,
): Promise<WebhookResponse> {
  const pinnedLookup = ((_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    } else {
      callback(null, target.address, target.family);
    }
  }) as LookupFunction;
  const client = target.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target.url,
      {
        method: "POST",
        lookup: pinnedLookup,
        timeout: TIMEOUT_MS,
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "Latchkey-Webhooks/1",
        },
      },
      (response) => {
        let received = 0;
        response.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) response.destroy();
        });
        response.on("close", () => resolve({ status: response.statusCode ?? 0 }));
        response.on("error", () => resolve({ status: response.statusCode ?? 0 }));
      },
    );
    request.on("timeout", () => request.destroy(new Error("webhook request timed out")));
    request.on("error", reject);
    request.end(body);
  });
}
