import { afterEach, describe, expect, it } from "vitest";
import { auditTypes } from "../sessions/helpers.js";
import { createTestApp, type TestApp } from "../support/harness.js";

/** A flood of refused requests must not become a flood of audit rows. */
describe("SECURITY 43: refused requests are audited in bounded numbers", () => {
  let testApp: TestApp;
  afterEach(async () => testApp?.close());

  function crossSitePost(ip: string, userAgent = "curl") {
    return testApp.app.inject({
      method: "POST",
      url: "/api/auth/send-passwordless",
      remoteAddress: ip,
      headers: {
        origin: "https://evil.example",
        "content-type": "application/json",
        "user-agent": userAgent,
      },
      payload: JSON.stringify({ email: "alice@example.com" }),
    });
  }

  it("fifty cross-site posts from one client in a minute leave one csrf_rejected row", async () => {
    testApp = await createTestApp();
    for (let request = 0; request < 50; request++) {
      expect((await crossSitePost("198.51.100.1")).statusCode).toBe(403);
    }
    expect(await auditTypes(testApp, "csrf_rejected")).toHaveLength(1);
  });

  it("another client, or the same one a minute later, is recorded again", async () => {
    testApp = await createTestApp();
    await crossSitePost("198.51.100.1");
    await crossSitePost("198.51.100.2");
    testApp.clock.advanceSeconds(61);
    await crossSitePost("198.51.100.1");
    expect(await auditTypes(testApp, "csrf_rejected")).toHaveLength(3);
  });

  it("a stored user agent is cut to 256 characters", async () => {
    testApp = await createTestApp();
    await crossSitePost("198.51.100.3", "x".repeat(2000));
    const row = await testApp.database.db
      .selectFrom("audit_events")
      .select("user_agent")
      .executeTakeFirstOrThrow();
    expect(row.user_agent).toHaveLength(256);
  });
});
