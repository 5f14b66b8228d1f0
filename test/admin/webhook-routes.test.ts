import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/harness.js";
import { adminRequest } from "./support.js";

let testApp: TestApp;
let key: string;
const call = (method: "GET" | "POST" | "DELETE", url: string, body?: unknown) =>
  adminRequest(testApp, key, method, url, body);

afterEach(async () => {
  await testApp?.close();
});

async function start() {
  testApp = await createTestApp();
  key = (await testApp.services.operations.adminKeys.create("ops")).key;
}

describe("admin API webhooks", () => {
  it("adds an endpoint showing its secret once, lists it without the secret, rotates and removes it", async () => {
    await start();
    const added = await call("POST", "/api/admin/webhooks", {
      url: "http://127.0.0.1:9/hook",
      events: ["user.created", "session.revoked"],
    });
    expect(added.statusCode).toBe(201);
    const { id, secret } = added.json();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await call("GET", "/api/admin/webhooks");
    expect(listed.json().endpoints).toEqual([
      expect.objectContaining({
        id,
        url: "http://127.0.0.1:9/hook",
        events: ["user.created", "session.revoked"],
      }),
    ]);
    expect(listed.body).not.toContain(secret);
    const rotated = await call("POST", `/api/admin/webhooks/${id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).not.toBe(secret);
    expect((await call("DELETE", `/api/admin/webhooks/${id}`)).statusCode).toBe(204);
    expect((await call("GET", "/api/admin/webhooks")).json().endpoints).toEqual([]);
  });

  it("answers 404 webhook_not_found for unknown endpoints", async () => {
    await start();
    for (const [method, path] of [
      ["DELETE", ""],
      ["POST", "/rotate-secret"],
    ] as const) {
      const response = await call(method, `/api/admin/webhooks/ep_AAAAAAAAAAAAAAAAAAAAAA${path}`);
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe("webhook_not_found");
    }
  });

  it("refuses non-http(s) URLs, credentials in URLs and unknown event types", async () => {
    await start();
    for (const url of ["ftp://example.com/x", "https://user:pw@example.com/x", "not a url"]) {
      const response = await call("POST", "/api/admin/webhooks", { url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().code).toBe("invalid_webhook_url");
    }
    const badEvent = await call("POST", "/api/admin/webhooks", {
      url: "https://example.com/x",
      events: ["user.hacked"],
    });
    expect(badEvent.statusCode).toBe(422);
    expect(badEvent.json().code).toBe("validation_error");
  });
});
