import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { createBrowser, createTestApp, signIn, startSignIn, type TestApp } from "../support/harness.js";
import { createInstance } from "./support/app.js";

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";

function scrape(testApp: TestApp, authorization?: string) {
  return testApp.app.inject({
    method: "GET",
    url: "/metrics",
    headers: authorization ? { authorization } : {},
  });
}

/** The value of one sample line, e.g. `latchkey_outbox_pending`, or undefined when absent. */
function sample(body: string, name: string): number | undefined {
  const line = body.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe("Prometheus metrics", () => {
  let testApp: TestApp;
  afterEach(async () => {
    await testApp?.close();
  });

  it("is not there (404) unless METRICS_TOKEN or METRICS_PUBLIC is set", async () => {
    testApp = await createTestApp();
    const response = await scrape(testApp, `Bearer ${METRICS_TOKEN}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe("not_found");
  });

  it("refuses a scrape without the right bearer token with 403 metrics_forbidden", async () => {
    testApp = await createTestApp({ env: { METRICS_TOKEN } });
    for (const authorization of [undefined, "Bearer wrong-token-wrong-token-00", METRICS_TOKEN]) {
      const response = await scrape(testApp, authorization);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe("metrics_forbidden");
    }
    expect((await scrape(testApp, `Bearer ${METRICS_TOKEN}`)).statusCode).toBe(200);
  });

  it("serves metrics without a token when METRICS_PUBLIC=true", async () => {
    testApp = await createTestApp({ env: { METRICS_PUBLIC: "true" } });
    const response = await scrape(testApp);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
  });

  it("counts sends, verifications by outcome, rate-limit refusals and deliveries, with no email or code in it", async () => {
    testApp = await createTestApp({ env: { METRICS_TOKEN, SEND_COOLDOWN_SECONDS: "30" } });
    const browser = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, browser, "metrics@example.com");
    const wrongCode = mail.code === "000000" ? "111111" : "000000";
    await browser.post("/api/auth/verify-otp", { code: wrongCode, auth_request_id: authRequestId });
    const throttled = await browser.post("/api/auth/send-passwordless", { email: "metrics@example.com" });
    expect(throttled.statusCode).toBe(429);
    await browser.post("/api/auth/verify-otp", { code: mail.code, auth_request_id: authRequestId });
    await signIn(testApp, createBrowser(testApp), "second@example.com");

    const body = (await scrape(testApp, `Bearer ${METRICS_TOKEN}`)).body;
    expect(sample(body, 'latchkey_passwordless_sends_total{kind="send",outcome="queued"}')).toBe(2);
    expect(sample(body, 'latchkey_passwordless_sends_total{kind="send",outcome="rate_limited"}')).toBe(1);
    expect(sample(body, 'latchkey_verifications_total{method="otp",outcome="success"}')).toBe(2);
    expect(sample(body, 'latchkey_verifications_total{method="otp",outcome="invalid_code"}')).toBe(1);
    expect(sample(body, 'latchkey_rate_limited_total{route="/api/auth/send-passwordless"}')).toBe(1);
    expect(sample(body, 'latchkey_mail_deliveries_total{outcome="sent"}')).toBe(2);
    expect(
      sample(
        body,
        'latchkey_http_request_duration_seconds_count{method="POST",route="/api/auth/verify-otp",status_code="200"}',
      ),
    ).toBe(2);
    expect(body).not.toMatch(/@|example\.com|link_token/);
    // Label values only: a six-digit code may well appear inside some byte count.
    expect(body).not.toContain(`"${mail.code}"`);
    expect(body).not.toContain(authRequestId);
  });

  it("reports how much mail waits in the outbox and for how long", async () => {
    testApp = await createInstance({
      env: { METRICS_TOKEN },
      mailTransport: {
        name: "down",
        send: async () => {
          throw new Error("connection refused");
        },
        close: async () => {},
      },
    });
    await createBrowser(testApp).post("/api/auth/send-passwordless", { email: "waiting@example.com" });
    await eventually(async () => (await testApp.services.outbox.status()).pending === 1);
    testApp.clock.advanceSeconds(30);

    const body = (await scrape(testApp, `Bearer ${METRICS_TOKEN}`)).body;
    expect(sample(body, "latchkey_outbox_pending")).toBe(1);
    expect(sample(body, "latchkey_outbox_oldest_pending_age_seconds")).toBe(30);
    expect(sample(body, "latchkey_outbox_failed")).toBe(0);
    // At least one: with the clock moved past its back-off, the mail may have been tried again already.
    await eventually(async () => {
      const next = (await scrape(testApp, `Bearer ${METRICS_TOKEN}`)).body;
      return (sample(next, 'latchkey_mail_deliveries_total{outcome="retry"}') ?? 0) >= 1;
    });
  });
});
