import { connect } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/harness.js";

/** Node.js reads the first of two Authorization headers; a proxy may read the last. Neither wins: 400. */

let testApp: TestApp;
let port: number;
beforeEach(async () => {
  testApp = await createTestApp();
  await testApp.app.listen({ host: "127.0.0.1", port: 0 });
  port = (testApp.app.server.address() as { port: number }).port;
});
afterEach(() => testApp.close());

/** One raw HTTP/1.1 request, as a client that repeats a header would send it. */
function rawRequest(path: string, headerLines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString("utf8");
    });
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
    socket.write(
      [`GET ${path} HTTP/1.1`, "Host: localhost", "Connection: close", ...headerLines, "", ""].join("\r\n"),
    );
  });
}

describe("two Authorization headers", () => {
  it.each(["/oidc/me", "/api/admin/users", "/api/auth/session"])(
    "are refused on %s with duplicate_authorization",
    async (path) => {
      const answer = await rawRequest(path, ["Authorization: Bearer first", "authorization: Bearer second"]);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('"code":"duplicate_authorization"');
    },
  );

  it("one Authorization header is read as before", async () => {
    const answer = await rawRequest("/oidc/me", ["Authorization: Bearer only-one"]);
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
  });
});
