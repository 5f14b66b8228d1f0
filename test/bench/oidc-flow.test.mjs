import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextOf } from "../../bench/scenarios/oidc.mjs";

// Answers like an authorization server's steps: a redirect, Better Auth's JSON redirect, or neither.
const server = createServer((request, response) => {
  if (request.url === "/redirect") {
    response.writeHead(302, { location: "/sign-in?sig=abc" }).end();
  } else if (request.url === "/json-redirect") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ redirect: true, url: "/consent?sig=def" }));
  } else {
    response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  }
});
let baseUrl;

beforeAll(async () => {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("a step of the authorize flow", () => {
  it("leads to the Location of a redirect", async () => {
    expect(await nextOf(baseUrl, { path: "/redirect" })).toBe("/sign-in?sig=abc");
  });

  it("leads to the url of Better Auth's {redirect: true, url} answer", async () => {
    expect(await nextOf(baseUrl, { path: "/json-redirect" })).toBe("/consent?sig=def");
  });

  it("fails with the answer when it leads nowhere, rather than guessing", async () => {
    await expect(nextOf(baseUrl, { path: "/other" })).rejects.toThrow(/GET \/other -> 200, leads nowhere/);
  });
});
