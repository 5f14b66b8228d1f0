import { afterEach, describe, expect, it } from "vitest";
import { createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";

let testApp: TestApp | undefined;
afterEach(async () => {
  await testApp?.close();
  testApp = undefined;
});

const STRANGER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const STRANGER = { "user-agent": STRANGER_AGENT, "x-forwarded-for": "203.0.113.9" };
const OWNER = "owner@example.com";

/** Someone else asks for a code for the owner's address and types wrong ones. */
async function strangerTriesCodes(wrongCodes: number) {
  const stranger = createBrowser(testApp!);
  const sent = await stranger.post("/api/auth/send-passwordless", { email: OWNER }, STRANGER);
  expect(sent.statusCode).toBe(200);
  const authRequestId = sent.json().auth_request_id;
  const answers = [];
  for (let attempt = 0; attempt < wrongCodes; attempt++) {
    const response = await stranger.post(
      "/api/auth/verify-otp",
      { code: "000000", auth_request_id: authRequestId },
      STRANGER,
    );
    answers.push(response.json().code);
  }
  return answers;
}

async function ownerEvents(owner: ReturnType<typeof createBrowser>) {
  const response = await owner.get("/api/auth/audit");
  expect(response.statusCode).toBe(200);
  return response.json().events as {
    type: string;
    user_agent: string | null;
    ip: string | null;
    at: string;
  }[];
}

describe("the owner sees attempts on their account", () => {
  it("three wrong codes by someone else appear in the owner's events with that browser, address and time", async () => {
    testApp = await createTestApp({ env: { MAX_ATTEMPTS: "3", TRUST_PROXY: "1" } });
    const owner = createBrowser(testApp);
    await signIn(testApp, owner, OWNER);
    expect(await strangerTriesCodes(3)).toEqual(["invalid_code", "invalid_code", "too_many_attempts"]);

    const events = (await ownerEvents(owner)).filter((event) => event.user_agent === STRANGER_AGENT);
    expect(events.map((event) => event.type)).toEqual([
      "code_locked",
      "code_failed",
      "code_failed",
      "challenge_started",
    ]);
    for (const event of events) {
      expect(event.ip).toBe("203.0.113.9");
      expect(Date.parse(event.at)).toBe(testApp.clock.now());
    }
  });

  it("a resent code shows up too", async () => {
    testApp = await createTestApp();
    const owner = createBrowser(testApp);
    await signIn(testApp, owner, OWNER);
    const stranger = createBrowser(testApp);
    const sent = await stranger.post("/api/auth/send-passwordless", { email: OWNER }, STRANGER);
    testApp.clock.advance(61_000);
    const resent = await stranger.post(
      "/api/auth/resend-passwordless",
      { auth_request_id: sent.json().auth_request_id },
      STRANGER,
    );
    expect(resent.statusCode).toBe(200);
    expect((await ownerEvents(owner)).map((event) => event.type)).toContain("challenge_resent");
  });

  it("attempts on an address without an account belong to nobody", async () => {
    testApp = await createTestApp({ env: { MAX_ATTEMPTS: "3" } });
    await strangerTriesCodes(3);
    const orphans = await testApp.database.db
      .selectFrom("audit_events")
      .select(["type", "user_id"])
      .where("type", "in", ["challenge_started", "code_failed", "code_locked"])
      .execute();
    expect(orphans.length).toBe(4);
    expect(orphans.every((event) => event.user_id === null)).toBe(true);
  });
});

describe("a stranger cannot hide the owner's own events", () => {
  it("the owner's sign-in stays listed after more than fifty events a stranger caused", async () => {
    testApp = await createTestApp({ env: { MAX_ATTEMPTS: "3", TRUST_PROXY: "1", RATE_LIMITS: "off" } });
    const owner = createBrowser(testApp);
    await signIn(testApp, owner, OWNER);
    const { user_id: userId } = (await owner.get("/api/auth/session")).json();
    for (let round = 0; round < 14; round++) {
      testApp.clock.advanceSeconds(86_400); // past every per-address budget
      await strangerTriesCodes(3);
    }
    const types = (await testApp.services.audit.listForUser(userId)).map((event) => event.type);
    // The owner's first sign-in created the account: signed_up.
    expect(types.filter((type) => type !== "signed_up").length).toBeGreaterThanOrEqual(50);
    expect(types).toContain("signed_up");
  });
});
