import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SCHEMA_PATH, renderApiTypes } from "../../scripts/generate-api-types.js";
import { createBrowser, createTestApp, type TestApp } from "../support/harness.js";

// biome-ignore lint/suspicious/noExplicitAny: the document is read as plain JSON, checked by value.
type Json = Record<string, any>;

let testApp: TestApp;
let document: Json;
const schemaOf = (name: string) => document.components.schemas[name];
const operation = (method: string, path: string) => document.paths[path][method];

beforeAll(async () => {
  testApp = await createTestApp();
  document = (await testApp.app.inject({ method: "GET", url: "/openapi.json" })).json();
});
afterAll(async () => testApp.close());

describe("the OpenAPI document", () => {
  it("offers a bearer JWT and the access cookie, and names who may call each operation", () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.components.securitySchemes.cookieAuth).toMatchObject({
      in: "cookie",
      name: "access_token",
    });
    expect(operation("get", "/api/auth/sessions").security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    expect(operation("get", "/api/auth/session").security).toContainEqual({});
    expect(operation("post", "/api/auth/verify-otp").security).toEqual([]);
    expect(operation("get", "/.well-known/jwks.json").security).toEqual([]);
  });

  it("marks the required request fields required, under their snake_case names", () => {
    expect(schemaOf("VerifyOtpRequest").required.sort()).toEqual(["auth_request_id", "code"]);
    expect(schemaOf("VerifyMagicLinkRequest").required).toEqual(["link_token"]);
    expect(schemaOf("ApproveMagicLinkRequest").required.sort()).toEqual(["approval_number", "link_token"]);
    expect(schemaOf("ResendPasswordlessRequest").required).toEqual(["auth_request_id"]);
    expect(schemaOf("CompleteApprovalRequest").required).toEqual(["auth_request_id"]);
    expect(schemaOf("SendPasswordlessRequest").required).toEqual(["email"]);
  });

  it("requires no body where the server takes none", () => {
    expect(operation("post", "/api/auth/refresh").requestBody.required).toBe(false);
    expect(operation("post", "/api/auth/logout-all").requestBody.required).toBe(false);
    expect(operation("post", "/api/auth/verify-otp").requestBody.required).toBe(true);
  });

  it("has one component per schema: no empty ones, no X and XInput pairs", () => {
    const names = Object.keys(document.components.schemas);
    expect(names.filter((name) => name.endsWith("Input"))).toEqual([]);
    const empty = names.filter((name) => Object.keys(schemaOf(name)).length === 0);
    expect(empty).toEqual([]);
  });

  it("lists, for every error status, exactly the catalogue's codes of that status", () => {
    expect(schemaOf("Error401").properties.code.enum.sort()).toEqual(
      [
        "admin_key_invalid",
        "admin_key_required",
        "invalid_refresh_token",
        "not_authenticated",
        "session_revoked",
        "token_expired",
      ].sort(),
    );
    expect(operation("post", "/api/auth/verify-otp").responses["415"].description).toContain(
      "unsupported_media_type",
    );
  });

  describe("email limits are the server's", () => {
    const email = () => schemaOf("SendPasswordlessRequest").properties.email;
    const send = (address: string) =>
      createBrowser(testApp).post("/api/auth/send-passwordless", { email: address });
    /** `local@bbb….bbb.com`, with domain labels of at most 63 characters. */
    const address = (localLength: number, totalLength: number) => {
      const domainLength = totalLength - localLength - 1;
      const labels: string[] = [];
      let left = domainLength - ".com".length;
      while (left > 0) {
        const label = Math.min(63, left - (left > 63 ? 2 : 0));
        labels.push("b".repeat(label));
        left -= label + 1;
      }
      return `${"a".repeat(localLength)}@${labels.join(".")}.com`;
    };

    it("documents at most 254 characters, and the server takes 254 and refuses 255", async () => {
      expect(email().maxLength).toBe(254);
      expect(address(64, 254)).toHaveLength(254);
      expect((await send(address(64, 254))).statusCode).toBe(200);
      expect((await send(address(64, 255))).statusCode).toBe(422);
    });

    it("documents a local part of at most 64 characters, and the server refuses 65", async () => {
      expect(new RegExp(email().pattern).test(`${"a".repeat(64)}@example.com`)).toBe(true);
      expect(new RegExp(email().pattern).test(`${"a".repeat(65)}@example.com`)).toBe(false);
      expect((await send(`${"a".repeat(65)}@example.com`)).statusCode).toBe(422);
    });
  });
});

describe("docs/api.md", () => {
  it("lists every documented operation", () => {
    const page = readFileSync("docs/api.md", "utf8");
    const ids = Object.values(document.paths).flatMap((item) =>
      Object.values(item as Json).map((operation) => (operation as Json).operationId as string),
    );
    expect(ids.filter((id) => !page.includes(`\`${id}\``))).toEqual([]);
  });
});

describe("the web client's generated API types", () => {
  it("are up to date with the document (run `npm run generate:api-types` after changing a schema)", async () => {
    expect(readFileSync(API_SCHEMA_PATH, "utf8")).toBe(await renderApiTypes());
  });

  it("leave request fields with a default optional", () => {
    const types = readFileSync(API_SCHEMA_PATH, "utf8");
    expect(types).toMatch(/token_delivery\?: "cookie" \| "body";/);
    expect(types).toMatch(/auth_request_id: string;/);
  });
});
