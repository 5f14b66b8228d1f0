import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/harness.js";

let testApp: TestApp | undefined;
afterEach(async () => {
  await testApp?.close();
  testApp = undefined;
});

const INDEX_HTML = "<!doctype html><title>app</title><div id=root></div>";

/** A stand-in for the built UI: the server only needs index.html and an assets folder. */
function webRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "web-"));
  mkdirSync(join(root, "assets"));
  writeFileSync(join(root, "index.html"), INDEX_HTML);
  return `${root}/`;
}

const BROWSER = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

async function get(url: string, headers: Record<string, string> = {}) {
  testApp ??= await createTestApp({ webRoot: webRoot() });
  return testApp.app.inject({ method: "GET", url, headers });
}

describe("an unknown address", () => {
  it.each(["/login", "/settings", "/dashboard/", "/a/b?c=d"])(
    "%s shows a browser the app (which draws its not-found page) with status 404",
    async (url) => {
      const response = await get(url, BROWSER);
      expect(response.statusCode).toBe(404);
      expect(response.headers["content-type"]).toContain("text/html");
      expect(response.body).toBe(INDEX_HTML);
      expect(response.headers["content-security-policy"]).toContain("script-src 'self'");
    },
  );

  it("answers a program the JSON error", async () => {
    const response = await get("/login", { accept: "application/json" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: "Not found.", code: "not_found" });
  });

  it.each(["/api/auth/nothing", "/api/admin/nothing", "/dev/nothing", "/.well-known/nothing"])(
    "under an API's path (%s) answers JSON even to a browser",
    async (url) => {
      const response = await get(url, BROWSER);
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe("not_found");
    },
  );

  it("answers JSON when no UI is built", async () => {
    testApp = await createTestApp();
    const response = await testApp.app.inject({ method: "GET", url: "/login", headers: BROWSER });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe("not_found");
  });

  it("sent with POST answers JSON, whatever it accepts", async () => {
    testApp = await createTestApp({ webRoot: webRoot() });
    const response = await testApp.app.inject({ method: "POST", url: "/login", headers: BROWSER });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/json");
  });
});

describe("the pages' content security policy", () => {
  it("lets images load from the operator's logo origin, and from no other", async () => {
    testApp = await createTestApp({
      webRoot: webRoot(),
      env: { APP_LOGO_URL: "https://cdn.acme.example/logo.svg" },
    });
    const response = await testApp.app.inject({ method: "GET", url: "/", headers: BROWSER });
    const policy = String(response.headers["content-security-policy"]);
    expect(policy).toContain("img-src 'self' data: https://cdn.acme.example;");
    expect(policy).toContain("script-src 'self';");
  });

  it("allows only this origin's images without a logo", async () => {
    const response = await get("/", BROWSER);
    expect(String(response.headers["content-security-policy"])).toContain("img-src 'self' data:;");
  });
});
