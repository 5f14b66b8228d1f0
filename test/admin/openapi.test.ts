import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/harness.js";

let testApp: TestApp;
afterEach(async () => {
  await testApp?.close();
});

describe("the admin API in the OpenAPI document", () => {
  it("lists every admin route under the admin tag, secured by the bearer admin key scheme", async () => {
    testApp = await createTestApp();
    const document = (await testApp.app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(document.components.securitySchemes.adminKey).toMatchObject({ type: "http", scheme: "bearer" });
    const expected = {
      "/api/admin/users": ["get", "post"],
      "/api/admin/users/{id}": ["get", "delete"],
      "/api/admin/users/{id}/block": ["post"],
      "/api/admin/users/{id}/unblock": ["post"],
      "/api/admin/users/{id}/revoke-sessions": ["post"],
      "/api/admin/audit": ["get"],
      "/api/admin/sign-in-links": ["post"],
      "/api/admin/webhooks": ["get", "post"],
      "/api/admin/webhooks/{id}": ["delete"],
      "/api/admin/webhooks/{id}/rotate-secret": ["post"],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of methods) {
        const operation = document.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(operation.tags).toEqual(["admin"]);
        expect(operation.security).toEqual([{ adminKey: [] }]);
      }
    }
  });
});
