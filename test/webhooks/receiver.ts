import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** Whether the receiver answered 2xx to this attempt. */
  accepted: boolean;
}

/**
 * A webhook receiver on 127.0.0.1 that records every attempt. `setStatus` makes it fail
 * (5xx), redirect (3xx with `location`), hold the request without answering (0), or
 * accept again.
 */
export async function startReceiver() {
  const attempts: ReceivedWebhook[] = [];
  let status = 204;
  let location: string | undefined;
  const waiters = new Set<() => void>();
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const isHeld = status === 0;
      attempts.push({ headers: request.headers, body, at: Date.now(), accepted: !isHeld && status < 300 });
      if (!isHeld) {
        response.writeHead(status, location ? { location } : {});
        response.end();
      }
      for (const waiter of waiters) waiter();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const accepted = () => attempts.filter((attempt) => attempt.accepted);
  const typesOf = (list: ReceivedWebhook[]) => list.map((attempt) => JSON.parse(attempt.body).type as string);
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    attempts,
    accepted,
    acceptedTypes: () => typesOf(accepted()),
    setStatus(next: number, nextLocation?: string) {
      status = next;
      location = nextLocation;
    },
    /** Resolves once `predicate` holds over the attempts, or rejects after `timeoutMs`. */
    waitUntil(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
      if (predicate()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `webhook receiver: condition not met within ${timeoutMs} ms; got ${typesOf(attempts).join(", ")}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
