import { afterEach, describe, expect, it } from "vitest";
import { createBrowser, createTestApp, type TestApp } from "../support/harness.js";
import { rawExchange as exchange } from "../support/raw-http.js";

/** What the framework refuses keeps its own status, with a stable code and a string detail. */
describe("framework refusals keep their status", () => {
  let testApp: TestApp;
  afterEach(async () => testApp?.close());

  it("a QUERY request to /healthz answers 405 with an Allow header, not 422", async () => {
    testApp = await createTestApp();
    const response = await testApp.app.inject({ method: "QUERY" as "GET", url: "/healthz" });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD");
    expect(response.json()).toEqual({ detail: "Method not allowed.", code: "method_not_allowed" });
  });

  it("a PUT to a route with a path parameter answers 405 with the methods that route serves", async () => {
    testApp = await createTestApp();
    const response = await testApp.app.inject({ method: "PUT", url: "/api/admin/users/some-user" });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD, DELETE");
  });

  it("a form-encoded body answers 415 unsupported_media_type", async () => {
    testApp = await createTestApp();
    const response = await testApp.app.inject({
      method: "POST",
      url: "/api/auth/send-passwordless",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost:8000" },
      payload: "email=alice%40example.com",
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe("unsupported_media_type");
  });

  it("a body over the limit answers 413 payload_too_large", async () => {
    testApp = await createTestApp();
    const response = await createBrowser(testApp).post("/api/auth/send-passwordless", {
      email: "alice@example.com",
      padding: "x".repeat(testApp.config.server.bodyLimitBytes),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe("payload_too_large");
  });

  it("a QUERY request to an unknown path keeps the framework's 400 with code bad_request", async () => {
    testApp = await createTestApp();
    const response = await testApp.app.inject({ method: "QUERY" as "GET", url: "/nowhere" });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ detail: expect.any(String), code: "bad_request" });
  });

  it("a 429's Retry-After is the time left in the window, not a fixed minute", async () => {
    testApp = await createTestApp({ env: { REFRESHES_PER_IP_PER_MINUTE: "2" } });
    const refresh = () => createBrowser(testApp).post("/api/auth/refresh", {});
    await refresh();
    await refresh();
    testApp.clock.advanceSeconds(45);
    const refused = await refresh();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers["retry-after"]).toBe("15");
  });
});

/** What Node's HTTP parser refuses before any route: only a real socket shows it. */
describe("requests the HTTP parser refuses", () => {
  let testApp: TestApp;
  afterEach(async () => testApp?.close());

  async function rawExchange(request: string): Promise<string> {
    testApp = await createTestApp();
    return exchange(testApp, request);
  }

  const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));

  it("headers over the limit answer 431 headers_too_large as JSON", async () => {
    const answer = await rawExchange(
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    expect(answer.startsWith("HTTP/1.1 431 ")).toBe(true);
    expect(bodyOf(answer)).toEqual({ detail: "Request headers too large.", code: "headers_too_large" });
  });

  it("a request that is not HTTP answers 400 bad_request as JSON", async () => {
    const answer = await rawExchange("HELLO THERE\r\n\r\n");
    expect(answer.startsWith("HTTP/1.1 400 ")).toBe(true);
    expect(bodyOf(answer)).toEqual({ detail: "Malformed HTTP request.", code: "bad_request" });
  });
});
