import { Ajv2020 } from "ajv/dist/2020.js";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInForTokens } from "../sessions/helpers.js";
import { createTestApp, PUBLIC_URL, type TestApp } from "../support/harness.js";

/**
 * What a schema-driven fuzzer (schemathesis) would check: for every documented operation,
 * the bad inputs the other suites send (missing fields, wrong types, bad email, unknown
 * JSON, wrong media type, oversized body, no or a bad credential, hostile path values)
 * get an answer whose status the document lists for that operation and whose body
 * matches that status's schema.
 */

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  operation: Json;
}

let testApp: TestApp;
let document: Json & { paths: Record<string, Record<string, Json>>; components: Json };
let accessToken: string;
const ajv = new Ajv2020({ strict: false, allErrors: true });

beforeAll(async () => {
  testApp = await createTestApp();
  document = (await testApp.app.inject({ method: "GET", url: "/openapi.json" })).json();
  accessToken = (await signInForTokens(testApp, "conformance@example.com")).access_token;
});
afterAll(async () => testApp.close());

function documentedOperations(): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

function urlOf(path: string, paramValue: string): string {
  return path.replace(/\{[^}]+\}/g, encodeURIComponent(paramValue));
}

/** The request body schema's properties and required names, resolved through its $ref. */
function requestFields(operation: Json): { properties: Record<string, Json>; required: string[] } {
  const body = operation.requestBody as { content: Record<string, { schema: Json }> } | undefined;
  let schema = body?.content["application/json"]?.schema ?? {};
  const ref = schema.$ref as string | undefined;
  if (ref) schema = (document.components.schemas as Record<string, Json>)[ref.split("/").pop() ?? ""] ?? {};
  return {
    properties: (schema.properties ?? {}) as Record<string, Json>,
    required: (schema.required ?? []) as string[],
  };
}

const json = (payload: unknown, headers: Record<string, string> = {}) => ({
  headers: { "content-type": "application/json", ...headers },
  payload: typeof payload === "string" ? payload : JSON.stringify(payload),
});

/** Bodies the suites send: each a [name, request options] pair. */
function badBodies(operation: Json): [string, Partial<InjectOptions>][] {
  const { properties, required } = requestFields(operation);
  const wrongTypes = Object.fromEntries(Object.keys(properties).map((name) => [name, { nested: [1, 2] }]));
  const cases: [string, Partial<InjectOptions>][] = [
    ["no body", {}],
    ["an empty object", json({})],
    ["every field of the wrong type", json(wrongTypes)],
    ["numbers for strings", json(Object.fromEntries(Object.keys(properties).map((name) => [name, 12345])))],
    ["unknown fields only", json({ unknown: "x", __proto__x: 1 })],
    ["a JSON array", json([])],
    ["JSON null", json("null")],
    ["broken JSON", json("{")],
    ["prototype pollution", json('{"__proto__":{"x":1}}')],
    ["text/plain", { headers: { "content-type": "text/plain" }, payload: "email=a@example.com" }],
    [
      "a form post",
      { headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "email=a%40example.com" },
    ],
    ["an oversized body", json({ state: "x".repeat(testApp.config.server.bodyLimitBytes + 10) })],
    ["a cross-site origin", json({}, { origin: "https://evil.example" })],
  ];
  if ("email" in properties) {
    for (const email of [
      "not-an-email",
      `${"a".repeat(65)}@example.com`,
      `a@${"b".repeat(250)}.com`,
      "a@b",
    ]) {
      cases.push([`the email ${email.slice(0, 20)}`, json({ email })]);
    }
  }
  for (const name of required) {
    const others = Object.fromEntries(
      required.filter((other) => other !== name).map((other) => [other, "x"]),
    );
    cases.push([`without ${name}`, json(others)]);
  }
  return cases;
}

function credentials(operation: Json): [string, Record<string, string>][] {
  if (!operation.security || (operation.security as unknown[]).length === 0) return [["none", {}]];
  return [
    ["no credential", {}],
    ["a garbage Bearer token", { authorization: "Bearer not.a.token" }],
    ["a valid Bearer token", { authorization: `bearer ${accessToken}` }],
    ["a garbage cookie", { cookie: "access_token=garbage" }],
  ];
}

function checkAgainstDocument(operation: Operation, response: LightMyRequestResponse, what: string) {
  const responses = operation.operation.responses as Record<string, Json>;
  const documented = responses[String(response.statusCode)];
  const where = `${operation.method} ${operation.path} with ${what}: ${response.statusCode} ${response.body.slice(0, 200)}`;
  expect(documented, `status not documented for ${where}`).toBeDefined();
  const schema = (documented?.content as Record<string, { schema: Json }> | undefined)?.["application/json"]
    ?.schema;
  if (!schema) return;
  const validate = ajv.compile({ ...schema, components: document.components });
  const isValid = validate(response.json());
  expect(isValid, `body does not match the schema for ${where}: ${ajv.errorsText(validate.errors)}`).toBe(
    true,
  );
}

async function send(operation: Operation, url: string, options: Partial<InjectOptions>) {
  return testApp.app.inject({
    ...options,
    method: operation.method as InjectOptions["method"],
    url,
    headers: { origin: PUBLIC_URL, ...(options.headers as Record<string, string>) },
  });
}

describe("every answer matches the OpenAPI document", () => {
  it("documents every operation with an operationId, unique across the document", () => {
    const ids = documentedOperations().map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === "string")).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("answers bad bodies with documented statuses and bodies", async () => {
    const withBodies = documentedOperations().filter(
      ({ method }) => method === "POST" || method === "DELETE",
    );
    expect(withBodies.length).toBeGreaterThan(8);
    for (const operation of withBodies) {
      for (const [what, options] of badBodies(operation.operation)) {
        const response = await send(operation, urlOf(operation.path, "x".repeat(22)), options);
        checkAgainstDocument(operation, response, what);
      }
    }
  });

  it("answers with and without credentials with documented statuses and bodies", async () => {
    for (const operation of documentedOperations()) {
      for (const [what, headers] of credentials(operation.operation)) {
        const response = await send(operation, urlOf(operation.path, "x".repeat(22)), { headers });
        checkAgainstDocument(operation, response, what);
      }
    }
  });

  it("answers hostile path values with documented statuses and bodies", async () => {
    const withParams = documentedOperations().filter(({ path }) => path.includes("{"));
    expect(withParams.length).toBeGreaterThan(0);
    for (const operation of withParams) {
      for (const value of ["!", "a".repeat(300), "..%2f..", "\u0000", "short", "x".repeat(22)]) {
        const headers = { authorization: `Bearer ${accessToken}` };
        const response = await send(operation, urlOf(operation.path, value), { headers });
        checkAgainstDocument(operation, response, `the path value ${JSON.stringify(value.slice(0, 12))}`);
      }
    }
  });
});
