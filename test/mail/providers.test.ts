import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createConfiguredTransport } from "../../src/mail/providers.js";
import {
  createBrowser,
  createTestApp,
  PUBLIC_URL,
  TEST_SECRET_KEY,
  type TestApp,
} from "../support/harness.js";
import { type FakeAnswer, type ProviderRequest, startFakeProvider } from "./fake-provider.js";

let testApp: TestApp | undefined;
let provider: Awaited<ReturnType<typeof startFakeProvider>> | undefined;
afterEach(async () => {
  await testApp?.close();
  await provider?.close();
  testApp = undefined;
});

const FROM = "Latchkey <login@example.com>";

/** An app whose outbox sends through MAIL_TRANSPORT against a fake of the provider's API. */
async function appWithProvider(
  env: Record<string, string>,
  answer: (request: ProviderRequest) => FakeAnswer,
) {
  provider = await startFakeProvider(answer);
  const full = { MAIL_API_URL: provider.url, MAIL_FROM: FROM, ...env };
  const config = loadConfig({ NODE_ENV: "test", SECRET_KEY: TEST_SECRET_KEY, PUBLIC_URL, ...full });
  const transport = createConfiguredTransport(config);
  if (!transport) throw new Error("no transport configured");
  testApp = await createTestApp({ env: full, mailTransport: transport });
  return testApp;
}

async function sendSignIn(app: TestApp, email: string) {
  const response = await createBrowser(app).post("/api/auth/send-passwordless", { email });
  expect(response.statusCode).toBe(200);
}

async function settledOutboxRow(app: TestApp) {
  for (let tries = 0; tries < 250; tries++) {
    const row = await app.database.db.selectFrom("mail_outbox").selectAll().executeTakeFirst();
    if (
      row &&
      (row.sent_at !== null || row.failed_at !== null || (row.error !== null && row.locked_until === null))
    )
      return row;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the outbox did not settle");
}

const postmark = { MAIL_TRANSPORT: "postmark", POSTMARK_SERVER_TOKEN: "pm-server-token" };
const resend = { MAIL_TRANSPORT: "resend", RESEND_API_KEY: "re_test_key" };
const ses = {
  MAIL_TRANSPORT: "ses",
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};

describe("MAIL_TRANSPORT configuration", () => {
  const base = {
    NODE_ENV: "production",
    MAIL_FROM: "Acme <no-reply@acme.example>",
    SECRET_KEY: TEST_SECRET_KEY,
    PUBLIC_URL: "https://auth.example.com",
  };

  it("names the missing credential of the chosen provider", () => {
    expect(() => loadConfig({ ...base, MAIL_TRANSPORT: "postmark" })).toThrow(
      /POSTMARK_SERVER_TOKEN: required/,
    );
    expect(() => loadConfig({ ...base, MAIL_TRANSPORT: "resend" })).toThrow(/RESEND_API_KEY: required/);
    expect(() => loadConfig({ ...base, MAIL_TRANSPORT: "ses" })).toThrow(/AWS_REGION: required/);
  });

  it("lets production run on an HTTP provider without SMTP_URL", () => {
    expect(loadConfig({ ...base, ...resend }).mailProvider.transport).toBe("resend");
  });
});

describe("Postmark", () => {
  it("receives a well-formed /email request, and its MessageID is kept on the outbox row", async () => {
    const app = await appWithProvider(postmark, () => ({
      status: 200,
      body: { To: "a@example.com", MessageID: "pm-0001", ErrorCode: 0, Message: "OK" },
    }));
    await sendSignIn(app, "pm@example.com");
    const row = await settledOutboxRow(app);
    expect(row.sent_at).not.toBeNull();
    expect(row.provider_message_id).toBe("pm-0001");
    const [request] = provider!.requests;
    expect(request).toMatchObject({ method: "POST", path: "/email" });
    expect(request?.headers["x-postmark-server-token"]).toBe("pm-server-token");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.body).toMatchObject({ From: FROM, To: "pm@example.com", MessageStream: "outbound" });
    expect(request?.body.TextBody).toEqual(expect.any(String));
    expect(request?.body.Headers).toContainEqual({ Name: "Auto-Submitted", Value: "auto-generated" });
    expect(request?.body.HtmlBody).toEqual(expect.any(String));
  });

  it.each([300, 406])(
    "fails a mail at once on ErrorCode %i (invalid or inactive recipient)",
    async (code) => {
      const app = await appWithProvider(postmark, () => ({
        status: 422,
        body: { ErrorCode: code, Message: "x" },
      }));
      await sendSignIn(app, "bounced@example.com");
      const row = await settledOutboxRow(app);
      expect(row.failed_at).not.toBeNull();
      expect(row.attempts).toBe(1);
      expect(row.error).toBe(`postmark_${code}`);
      expect(provider!.requests).toHaveLength(1);
    },
  );

  it("retries when Postmark answers 500", async () => {
    const app = await appWithProvider(postmark, () => ({ status: 500, body: {} }));
    await sendSignIn(app, "later@example.com");
    const row = await settledOutboxRow(app);
    expect(row.failed_at).toBeNull();
    expect(row.error).toBe("postmark_http_500");
    expect(row.next_attempt_at).toBeGreaterThan(app.clock.now());
  });
});

describe("Resend", () => {
  it("receives a well-formed /emails request with the API key as Bearer, and its id is kept", async () => {
    const app = await appWithProvider(resend, () => ({ status: 200, body: { id: "re-0001" } }));
    await sendSignIn(app, "re@example.com");
    const row = await settledOutboxRow(app);
    expect(row.provider_message_id).toBe("re-0001");
    const [request] = provider!.requests;
    expect(request).toMatchObject({ method: "POST", path: "/emails" });
    expect(request?.headers.authorization).toBe("Bearer re_test_key");
    expect(request?.body).toMatchObject({
      from: FROM,
      to: ["re@example.com"],
      headers: { "Auto-Submitted": "auto-generated" },
    });
  });

  it("fails a mail at once on a 422 validation error", async () => {
    const app = await appWithProvider(resend, () => ({
      status: 422,
      body: { name: "validation_error", message: "x" },
    }));
    await sendSignIn(app, "invalid@example.com");
    const row = await settledOutboxRow(app);
    expect(row).toMatchObject({ attempts: 1, error: "resend_422" });
    expect(row.failed_at).not.toBeNull();
  });
});

describe("Amazon SES", () => {
  it("receives a signed SendEmail v2 request, and its MessageId is kept", async () => {
    const app = await appWithProvider(ses, () => ({ status: 200, body: { MessageId: "ses-0001" } }));
    await sendSignIn(app, "ses@example.com");
    const row = await settledOutboxRow(app);
    expect(row.provider_message_id).toBe("ses-0001");
    const [request] = provider!.requests;
    expect(request).toMatchObject({ method: "POST", path: "/v2/email/outbound-emails" });
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/ses\/aws4_request/,
    );
    expect(request?.body).toMatchObject({
      FromEmailAddress: FROM,
      Destination: { ToAddresses: ["ses@example.com"] },
      Content: {
        Simple: {
          Subject: { Data: expect.any(String) },
          Headers: expect.arrayContaining([{ Name: "Auto-Submitted", Value: "auto-generated" }]),
        },
      },
    });
  });

  it.each(["MessageRejected", "AccountSuspendedException"])("fails a mail at once on %s", async (type) => {
    const app = await appWithProvider(ses, () => ({
      status: 400,
      body: { message: "rejected" },
      headers: { "x-amzn-errortype": type },
    }));
    await sendSignIn(app, "rejected@example.com");
    const row = await settledOutboxRow(app);
    expect(row).toMatchObject({ attempts: 1, error: `ses_${type}` });
    expect(row.failed_at).not.toBeNull();
  });

  it("retries a throttled send", async () => {
    const app = await appWithProvider(ses, () => ({
      status: 429,
      body: { message: "slow down" },
      headers: { "x-amzn-errortype": "TooManyRequestsException" },
    }));
    await sendSignIn(app, "throttled@example.com");
    const row = await settledOutboxRow(app);
    expect(row.failed_at).toBeNull();
    expect(row.error).toBe("ses_TooManyRequestsException");
  });
});
