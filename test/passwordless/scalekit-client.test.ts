import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createScalekitClient,
  ScalekitFailure,
  type ScalekitFailureKind,
} from "../../src/passwordless/providers/scalekit-client.js";
import {
  type FakeScalekit,
  type FakeScalekitEmail,
  type FakeScalekitOptions,
  startFakeScalekit,
} from "../support/fake-scalekit.js";

const EMAIL = "ada@example.com";
const MAGIC_LINK_AUTH_URI = "https://app.example.com/passwordless/verify";

let fake: FakeScalekit;
let mailbox: FakeScalekitEmail[];
let nowMs: number;

async function startFake(options: FakeScalekitOptions = {}) {
  await fake?.close();
  fake = await startFakeScalekit({ now: () => nowMs, onEmail: (mail) => mailbox.push(mail), ...options });
  return fake;
}

function client(overrides: { clientSecret?: string; timeoutMs?: number } = {}) {
  return createScalekitClient({
    environmentUrl: fake.url,
    clientId: fake.clientId,
    clientSecret: overrides.clientSecret ?? fake.clientSecret,
    timeoutMs: overrides.timeoutMs ?? 5000,
  });
}

function lastMailTo(email: string): FakeScalekitEmail {
  const mail = mailbox.findLast((candidate) => candidate.to === email);
  if (!mail) throw new Error(`no mail to ${email}`);
  return mail;
}

function sendSignIn(scalekit: ReturnType<typeof client>, email = EMAIL, expiresInSeconds = 300) {
  return scalekit.send({
    email,
    template: "SIGNIN",
    state: "state-1",
    expiresInSeconds,
    magicLinkAuthUri: MAGIC_LINK_AUTH_URI,
  });
}

async function failureOf(pending: Promise<unknown>): Promise<ScalekitFailure> {
  const error = await pending.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ScalekitFailure);
  return error as ScalekitFailure;
}

async function expectFailure(pending: Promise<unknown>, kind: ScalekitFailureKind) {
  expect((await failureOf(pending)).kind).toBe(kind);
}

beforeEach(async () => {
  mailbox = [];
  nowMs = Date.UTC(2030, 0, 1, 12, 0, 0);
  await startFake();
});

afterEach(async () => {
  await fake.close();
});

describe("sending", () => {
  it("answers with the expiry as a Date and the passwordless type as a string", async () => {
    const challenge = await sendSignIn(client(), EMAIL, 600);

    expect(challenge).toEqual({
      authRequestId: expect.any(String),
      expiresAt: new Date(nowMs + 600_000),
      expiresInSeconds: 600,
      passwordlessType: "LINK_OTP",
    });
    expect(() => JSON.stringify(challenge)).not.toThrow();
  });

  it("mails a 6-digit code and a magic link to the address", async () => {
    const challenge = await sendSignIn(client());

    const mail = lastMailTo(EMAIL);
    expect(mail.authRequestId).toBe(challenge.authRequestId);
    expect(mail.code).toMatch(/^\d{6}$/);
    expect(mail.magicLink).toBe(`${MAGIC_LINK_AUTH_URI}?link_token=${mail.linkToken}`);
  });

  it("passes email, template, state, expiry and magic link URI to Scalekit", async () => {
    await sendSignIn(client());

    const sent = fake.calls.findLast((call) => call.method === "SendPasswordlessEmail");
    expect(sent?.request).toEqual({
      email: EMAIL,
      template: "SIGNIN",
      state: "state-1",
      expires_in: 300,
      magiclink_auth_uri: MAGIC_LINK_AUTH_URI,
    });
  });

  it("refuses a third mail to the same address within a minute as rate_limited with a retry delay", async () => {
    const scalekit = client();
    await sendSignIn(scalekit);
    await sendSignIn(scalekit);

    const failure = await failureOf(sendSignIn(scalekit));

    expect(failure.kind).toBe("rate_limited");
    expect(failure.retryAfterSeconds).toBe(60);
  });

  it("sends again once the minute has passed", async () => {
    const scalekit = client();
    await sendSignIn(scalekit);
    await sendSignIn(scalekit);
    nowMs += 60_000;

    await expect(sendSignIn(scalekit)).resolves.toMatchObject({ passwordlessType: "LINK_OTP" });
  });
});

describe("verifying a code", () => {
  it("returns the email, state and template as strings", async () => {
    const scalekit = client();
    const challenge = await scalekit.send({
      email: EMAIL,
      template: "SIGNUP",
      state: "state-1",
      magicLinkAuthUri: MAGIC_LINK_AUTH_URI,
    });

    const verification = await scalekit.verifyCode({
      authRequestId: challenge.authRequestId,
      code: lastMailTo(EMAIL).code!,
    });

    expect(verification).toEqual({
      email: EMAIL,
      state: "state-1",
      template: "SIGNUP",
      passwordlessType: "LINK_OTP",
    });
  });

  it("returns state null and type OTP for a state-less sign-in on an OTP-only dashboard", async () => {
    await startFake({ passwordlessType: "OTP" });
    const scalekit = client();
    const challenge = await scalekit.send({ email: EMAIL, template: "SIGNIN" });
    expect(lastMailTo(EMAIL).magicLink).toBeNull();

    const verification = await scalekit.verifyCode({
      authRequestId: challenge.authRequestId,
      code: lastMailTo(EMAIL).code!,
    });

    expect(verification).toEqual({ email: EMAIL, state: null, template: "SIGNIN", passwordlessType: "OTP" });
  });

  it("refuses a wrong code as invalid_code", async () => {
    const scalekit = client();
    const challenge = await sendSignIn(scalekit);

    await expectFailure(
      scalekit.verifyCode({ authRequestId: challenge.authRequestId, code: "000000" }),
      "invalid_code",
    );
  });

  it("refuses even the right code with too_many_attempts after five wrong ones", async () => {
    const scalekit = client();
    const challenge = await sendSignIn(scalekit);
    const wrongCode = lastMailTo(EMAIL).code === "000000" ? "111111" : "000000";
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await expectFailure(
        scalekit.verifyCode({ authRequestId: challenge.authRequestId, code: wrongCode }),
        "invalid_code",
      );
    }

    await expectFailure(
      scalekit.verifyCode({ authRequestId: challenge.authRequestId, code: lastMailTo(EMAIL).code! }),
      "too_many_attempts",
    );
  });

  it("refuses an expired code as challenge_expired", async () => {
    const scalekit = client();
    const challenge = await sendSignIn(scalekit, EMAIL, 60);
    nowMs += 60_000;

    await expectFailure(
      scalekit.verifyCode({ authRequestId: challenge.authRequestId, code: lastMailTo(EMAIL).code! }),
      "challenge_expired",
    );
  });

  it("refuses a code that was already used as challenge_used", async () => {
    const scalekit = client();
    const challenge = await sendSignIn(scalekit);
    const code = lastMailTo(EMAIL).code!;
    await scalekit.verifyCode({ authRequestId: challenge.authRequestId, code });

    await expectFailure(
      scalekit.verifyCode({ authRequestId: challenge.authRequestId, code }),
      "challenge_used",
    );
  });

  it("sends the code together with the auth request id", async () => {
    const scalekit = client();
    const challenge = await sendSignIn(scalekit);
    const code = lastMailTo(EMAIL).code!;

    await scalekit.verifyCode({ authRequestId: challenge.authRequestId, code });

    const verified = fake.calls.findLast((call) => call.method === "VerifyPasswordlessEmail");
    expect(verified?.request).toEqual({ code, auth_request_id: challenge.authRequestId });
  });
});

describe("verifying a magic link", () => {
  it("returns the email, state and template for the link token", async () => {
    const scalekit = client();
    await sendSignIn(scalekit);

    const verification = await scalekit.verifyLink({ linkToken: lastMailTo(EMAIL).linkToken! });

    expect(verification).toEqual({
      email: EMAIL,
      state: "state-1",
      template: "SIGNIN",
      passwordlessType: "LINK_OTP",
    });
  });

  it("verifies with the auth request id when same-browser enforcement is on", async () => {
    await startFake({ sameBrowserEnforced: true });
    const scalekit = client();
    const challenge = await sendSignIn(scalekit);

    await expect(
      scalekit.verifyLink({
        linkToken: lastMailTo(EMAIL).linkToken!,
        authRequestId: challenge.authRequestId,
      }),
    ).resolves.toMatchObject({ email: EMAIL });
  });

  it("refuses a link without the auth request id as invalid_link_token when same-browser enforcement is on", async () => {
    await startFake({ sameBrowserEnforced: true });
    const scalekit = client();
    await sendSignIn(scalekit);

    await expectFailure(
      scalekit.verifyLink({ linkToken: lastMailTo(EMAIL).linkToken! }),
      "invalid_link_token",
    );
  });

  it("refuses an unknown link token as invalid_link_token", async () => {
    await expectFailure(client().verifyLink({ linkToken: "a4143d8f-not-issued_l" }), "invalid_link_token");
  });

  it("refuses a replayed link as invalid_link_token", async () => {
    const scalekit = client();
    await sendSignIn(scalekit);
    const linkToken = lastMailTo(EMAIL).linkToken!;
    await scalekit.verifyLink({ linkToken });

    await expectFailure(scalekit.verifyLink({ linkToken }), "invalid_link_token");
  });

  it("refuses an expired link as challenge_expired", async () => {
    const scalekit = client();
    await sendSignIn(scalekit, EMAIL, 60);
    nowMs += 61_000;

    await expectFailure(
      scalekit.verifyLink({ linkToken: lastMailTo(EMAIL).linkToken! }),
      "challenge_expired",
    );
  });
});

describe("resending", () => {
  it("answers with a new auth request id whose new code verifies", async () => {
    const scalekit = client();
    const first = await sendSignIn(scalekit);

    const second = await scalekit.resend(first.authRequestId);

    expect(second.authRequestId).not.toBe(first.authRequestId);
    expect(lastMailTo(EMAIL).authRequestId).toBe(second.authRequestId);
    await expect(
      scalekit.verifyCode({ authRequestId: second.authRequestId, code: lastMailTo(EMAIL).code! }),
    ).resolves.toMatchObject({ email: EMAIL });
  });

  it("kills the old code: refused under the new id as invalid_code", async () => {
    const scalekit = client();
    const first = await sendSignIn(scalekit);
    const oldCode = lastMailTo(EMAIL).code!;
    const second = await scalekit.resend(first.authRequestId);

    await expectFailure(
      scalekit.verifyCode({ authRequestId: second.authRequestId, code: oldCode }),
      "invalid_code",
    );
  });

  it("kills the old auth request id: refused as challenge_used", async () => {
    const scalekit = client();
    const first = await sendSignIn(scalekit);
    const oldCode = lastMailTo(EMAIL).code!;
    await scalekit.resend(first.authRequestId);

    await expectFailure(
      scalekit.verifyCode({ authRequestId: first.authRequestId, code: oldCode }),
      "challenge_used",
    );
  });

  it("kills the old link", async () => {
    const scalekit = client();
    const first = await sendSignIn(scalekit);
    const oldLinkToken = lastMailTo(EMAIL).linkToken!;
    await scalekit.resend(first.authRequestId);

    await expectFailure(scalekit.verifyLink({ linkToken: oldLinkToken }), "invalid_link_token");
  });

  it("may keep the auth request id, and the new code still verifies under it", async () => {
    await startFake({ resendIssuesNewAuthRequestId: false });
    const scalekit = client();
    const first = await sendSignIn(scalekit);

    const second = await scalekit.resend(first.authRequestId);

    expect(second.authRequestId).toBe(first.authRequestId);
    await expect(
      scalekit.verifyCode({ authRequestId: second.authRequestId, code: lastMailTo(EMAIL).code! }),
    ).resolves.toMatchObject({ email: EMAIL });
  });

  it("counts toward the mail limit and is refused as rate_limited", async () => {
    const scalekit = client();
    const first = await sendSignIn(scalekit);
    const second = await scalekit.resend(first.authRequestId);

    await expectFailure(scalekit.resend(second.authRequestId), "rate_limited");
  });
});

describe("authentication with Scalekit", () => {
  it("fetches a token after the first UNAUTHENTICATED answer and retries with the bearer", async () => {
    await sendSignIn(client());

    expect(fake.calls.map(({ method, outcome }) => [method, outcome])).toEqual([
      ["SendPasswordlessEmail", "Unauthenticated"],
      ["token", "200"],
      ["SendPasswordlessEmail", "OK"],
    ]);
    expect(fake.calls[0]?.authorization).toBeUndefined();
    expect(fake.calls[1]?.request).toEqual({
      grant_type: "client_credentials",
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
    });
    expect(fake.calls[2]?.authorization).toMatch(/^Bearer \S+$/);
  });

  it("speaks binary gRPC over HTTP/2 to the service and a form over HTTP/1.1 to the token endpoint", async () => {
    await sendSignIn(client());

    expect(fake.calls.map(({ contentType, httpVersion }) => [contentType, httpVersion])).toEqual([
      ["application/grpc+proto", "2.0"],
      ["application/x-www-form-urlencoded", "1.1"],
      ["application/grpc+proto", "2.0"],
    ]);
  });

  it("reuses the token for later calls", async () => {
    const scalekit = client();
    const challenge = await sendSignIn(scalekit);
    fake.calls.length = 0;

    await scalekit.resend(challenge.authRequestId);

    expect(fake.calls.map(({ method, outcome }) => [method, outcome])).toEqual([
      ["ResendPasswordlessEmail", "OK"],
    ]);
  });

  it("fails as unavailable when the client secret is wrong, without leaking it", async () => {
    const wrongSecret = "test_wrong-secret-0123456789";

    const failure = await failureOf(sendSignIn(client({ clientSecret: wrongSecret })));

    expect(failure.kind).toBe("unavailable");
    expect(inspect(failure, { depth: 20 })).not.toContain(wrongSecret);
  });

  it("fails as unavailable when Scalekit starts refusing the credentials", async () => {
    const scalekit = client();
    await sendSignIn(scalekit);
    fake.failWith("unauthenticated-credentials");

    await expectFailure(sendSignIn(scalekit, "grace@example.com"), "unavailable");
    expect(fake.calls.at(-1)).toMatchObject({ method: "token", outcome: "401" });
  });
});

describe("when Scalekit misbehaves", () => {
  it("a rate limit surfaces as rate_limited", async () => {
    fake.failWith("rate-limited");

    const failure = await failureOf(sendSignIn(client()));

    expect(failure.kind).toBe("rate_limited");
    expect(failure.retryAfterSeconds).toBe(60);
  });

  it("a rate limit on verify is not mistaken for the attempt limit", async () => {
    const scalekit = client();
    const challenge = await sendSignIn(scalekit);
    fake.failWith("rate-limited");

    await expectFailure(
      scalekit.verifyCode({ authRequestId: challenge.authRequestId, code: lastMailTo(EMAIL).code! }),
      "rate_limited",
    );
  });

  it("a single UNAVAILABLE answer is retried by the SDK and the call succeeds", async () => {
    fake.failWith("unavailable", { times: 1 });

    await expect(sendSignIn(client())).resolves.toMatchObject({ passwordlessType: "LINK_OTP" });
    expect(fake.calls[0]).toMatchObject({ method: "SendPasswordlessEmail", outcome: "Unavailable" });
  });

  it("an outage surfaces as unavailable once the SDK's retries run out of time", async () => {
    fake.failWith("unavailable");

    await expectFailure(sendSignIn(client({ timeoutMs: 2500 })), "unavailable");
    expect(fake.calls.filter((call) => call.outcome === "Unavailable").length).toBeGreaterThanOrEqual(2);
  });

  it("a hanging call fails as unavailable within the timeout", async () => {
    fake.failWith("hang");
    const startedAt = performance.now();

    await expectFailure(sendSignIn(client({ timeoutMs: 300 })), "unavailable");

    expect(performance.now() - startedAt).toBeLessThan(1000);
  });
});
