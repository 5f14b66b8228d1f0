import { afterEach, describe, expect, it } from "vitest";
import { RefusedUrlError, type Resolver, resolveDeliveryTarget } from "../../src/webhooks/index.js";
import { adminRequest } from "../admin/support.js";
import { createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";
import { type Receiver, startReceiver } from "./receiver.js";

const production = { isProduction: true, allowPrivate: false };
const development = { isProduction: false, allowPrivate: false };
const answering =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

async function refusal(url: string, policy = production, resolver: Resolver = answering("93.184.216.34")) {
  try {
    await resolveDeliveryTarget(url, policy, resolver);
    return undefined;
  } catch (error) {
    if (error instanceof RefusedUrlError) return error.reason;
    throw error;
  }
}

describe("webhook URLs in production (server-side request forgery)", () => {
  it.each([
    ["http://127.0.0.1/hook", "loopback"],
    ["https://127.0.0.1/hook", "loopback"],
    ["https://[::1]/hook", "loopback"],
    ["https://10.1.2.3/hook", "private"],
    ["https://172.16.0.1/hook", "private"],
    ["https://192.168.1.1/hook", "private"],
    ["https://169.254.169.254/latest/meta-data", "private"],
    ["https://[fe80::1]/hook", "private"],
    ["https://[fd00::1]/hook", "private"],
    ["https://[::ffff:10.0.0.1]/hook", "private"],
    ["https://0.0.0.0/hook", "private"],
    ["https://100.64.0.1/hook", "private"],
  ])("refuses %s", async (url, kind) => {
    expect(await refusal(url)).toMatch(kind === "loopback" ? /loopback|https/ : /private/);
  });

  it("refuses a name that resolves to an internal address, and a mixed answer", async () => {
    expect(await refusal("https://hooks.example.com/x", production, answering("10.0.0.7"))).toMatch(
      /private/,
    );
    expect(await refusal("https://hooks.example.com/x", production, answering("127.0.0.1"))).toMatch(
      /loopback/,
    );
    expect(
      await refusal("https://hooks.example.com/x", production, answering("93.184.216.34", "169.254.169.254")),
    ).toMatch(/private/);
  });

  it("connects to the address it checked", async () => {
    const target = await resolveDeliveryTarget(
      "https://hooks.example.com/x",
      production,
      answering("93.184.216.34"),
    );
    expect(target).toMatchObject({ address: "93.184.216.34", family: 4 });
    expect(target.url.hostname).toBe("hooks.example.com");
  });

  it("refuses http, other schemes and credentials", async () => {
    expect(await refusal("http://hooks.example.com/x")).toMatch(/https required/);
    expect(await refusal("ftp://hooks.example.com/x")).toMatch(/not http/);
    expect(await refusal("file:///etc/passwd")).toMatch(/not http/);
    expect(await refusal("https://user:pass@hooks.example.com/x")).toMatch(/credentials/);
  });

  it("allows anything with WEBHOOK_ALLOW_PRIVATE_URLS", async () => {
    const open = { isProduction: true, allowPrivate: true };
    expect(await refusal("http://10.0.0.1/x", open)).toBeUndefined();
    expect(await refusal("https://hooks.internal/x", open, answering("127.0.0.1"))).toBeUndefined();
  });

  it("allows loopback in development, but still not private or link-local addresses", async () => {
    expect(await refusal("http://127.0.0.1:9000/x", development)).toBeUndefined();
    expect(await refusal("http://169.254.169.254/x", development)).toMatch(/private/);
    expect(await refusal("http://metadata.internal/x", development, answering("10.0.0.1"))).toMatch(
      /private/,
    );
  });
});

describe("webhook delivery checks the address after DNS", () => {
  let testApp: TestApp;
  let receiver: Receiver;
  afterEach(async () => {
    await testApp?.close();
    await receiver?.close();
  });

  it("never reaches a receiver whose name resolves to a private address at delivery time", async () => {
    receiver = await startReceiver();
    let answer = "127.0.0.1";
    testApp = await createTestApp({ webhookResolver: async () => [{ address: answer, family: 4 }] });
    const port = new URL(receiver.url).port;
    await testApp.services.operations.webhooks.addEndpoint({ url: `http://hooks.test:${port}/hooks` });
    // The name now points inward (DNS rebinding after the URL was accepted).
    answer = "10.0.0.9";
    await signIn(testApp, createBrowser(testApp), "ssrf@example.com");
    let row: { error: string | null } | undefined;
    for (let tries = 0; tries < 100 && !row?.error; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      row = await testApp.database.db.selectFrom("webhook_deliveries").select("error").executeTakeFirst();
    }
    expect(row?.error).toMatch(/refused: private/);
    expect(receiver.attempts).toHaveLength(0);
  });

  it("answers 400 invalid_webhook_url for a private address literal", async () => {
    testApp = await createTestApp();
    const { key } = await testApp.services.operations.adminKeys.create("ops");
    const response = await adminRequest(testApp, key, "POST", "/api/admin/webhooks", {
      url: "http://192.168.0.10/hook",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("invalid_webhook_url");
  });
});
