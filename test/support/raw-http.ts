import { type AddressInfo, connect } from "node:net";
import type { TestApp } from "./harness.js";

/**
 * Sends `request` byte for byte over a real socket and returns everything the server sends
 * until it closes the connection (send `Connection: close`, or a request it refuses): for
 * what `inject` cannot send (Node's parser limits, a '#' in the request line).
 */
export async function rawExchange(testApp: TestApp, request: string): Promise<string> {
  if (!testApp.app.server.listening) await testApp.app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = testApp.app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      answer += chunk;
    });
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

/** The status code of a raw HTTP/1.1 answer. */
export const statusOf = (answer: string) => Number(answer.slice(9, 12));
