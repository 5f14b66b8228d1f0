import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBrowser, createTestApp, signIn, startSignIn, type TestApp } from "../support/harness.js";

/** What a verified sign-in does to the account it signs in as. */
describe("the account a verified email signs in as", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  const accounts = () => testApp.database.db.selectFrom("users").selectAll().execute();
  const auditTypes = async () =>
    (await testApp.database.db.selectFrom("audit_events").select("type").execute()).map((row) => row.type);

  it("a first sign-in creates the account, with its login time, and is recorded as signed_up", async () => {
    await signIn(testApp, createBrowser(testApp), "new@example.com");
    const [account] = await accounts();
    expect(account).toMatchObject({ email: "new@example.com", last_login_at: testApp.clock.now() });
    expect(await auditTypes()).toContain("signed_up");
  });

  it("a later sign-in keeps the account and its creation time, moves its login time, and is signed_in", async () => {
    await signIn(testApp, createBrowser(testApp), "back@example.com");
    const [first] = await accounts();
    testApp.clock.advance(60_000);
    await signIn(testApp, createBrowser(testApp), "back@example.com");
    const all = await accounts();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      id: first?.id,
      created_at: first?.created_at,
      last_login_at: testApp.clock.now(),
    });
    expect((await auditTypes()).filter((type) => type === "signed_in")).toHaveLength(1);
  });

  it("a disabled account's code is refused, no session starts, and its login time stays", async () => {
    await signIn(testApp, createBrowser(testApp), "gone@example.com");
    const db = testApp.database.db;
    await db.updateTable("users").set({ disabled_at: testApp.clock.now() }).execute();
    const [before] = await accounts();
    testApp.clock.advance(60_000);
    const browser = createBrowser(testApp);
    const { authRequestId, mail } = await startSignIn(testApp, browser, "gone@example.com");
    const response = await browser.post("/api/auth/verify-otp", {
      code: mail.code,
      auth_request_id: authRequestId,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("not_authenticated");
    expect((await accounts())[0]?.last_login_at).toBe(before?.last_login_at);
    expect(await db.selectFrom("sessions").select("id").execute()).toHaveLength(1);
  });
});
