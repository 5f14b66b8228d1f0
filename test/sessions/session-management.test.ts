import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Browser, createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";
import { auditTypes, browserWith, signedInBrowser, stealCookies } from "./helpers.js";

async function sessionIdOf(browser: Browser): Promise<string> {
  return (await browser.get("/api/auth/session")).json().session_id;
}

describe("listing and revoking sessions", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp();
  });
  afterEach(async () => testApp.close());

  async function twoDevices() {
    const laptop = createBrowser(testApp);
    await signIn(testApp, laptop, "alice@example.com");
    testApp.clock.advanceSeconds(31); // past the per-email send cooldown
    const phone = createBrowser(testApp);
    await signIn(testApp, phone, "alice@example.com");
    return { laptop, phone };
  }

  it("SECURITY 20: the list shows every live session and marks the current one", async () => {
    const { laptop, phone } = await twoDevices();
    const response = await laptop.get("/api/auth/sessions", { "user-agent": "Laptop/1.0" });
    expect(response.statusCode).toBe(200);
    const { sessions } = response.json();
    expect(sessions).toHaveLength(2);
    const current = sessions.filter((session: { current: boolean }) => session.current);
    expect(current.map((session: { id: string }) => session.id)).toEqual([await sessionIdOf(laptop)]);
    expect(sessions.map((session: { id: string }) => session.id)).toContain(await sessionIdOf(phone));
    expect(Object.keys(sessions[0]).sort()).toEqual([
      "created_at",
      "current",
      "expires_at",
      "id",
      "ip",
      "last_used_at",
      "user_agent",
    ]);
  });

  it("SECURITY 20: the list holds no token values", async () => {
    const { laptop, phone } = await twoDevices();
    const body = (await laptop.get("/api/auth/sessions")).body;
    for (const jar of [laptop.jar, phone.jar]) {
      expect(body).not.toContain(jar.access_token);
      expect(body).not.toContain(jar.refresh_token);
      expect(body).not.toContain(jar.refresh_token?.split(".").slice(1).join("."));
    }
  });

  it("the list records IP and user agent at sign-in", async () => {
    const browser = await signedInBrowser(testApp);
    const [session] = (await browser.get("/api/auth/sessions")).json().sessions;
    expect(session.ip).toBe("127.0.0.1");
    expect(session.user_agent).toBe("lightMyRequest");
    expect(session.created_at).toMatch(/Z$/);
  });

  it("the list needs a session: 401 not_authenticated", async () => {
    const response = await createBrowser(testApp).get("/api/auth/sessions");
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("not_authenticated");
  });

  it("another user's sessions are not listed", async () => {
    await twoDevices();
    const bob = createBrowser(testApp);
    await signIn(testApp, bob, "bob@example.com");
    const { sessions } = (await bob.get("/api/auth/sessions")).json();
    expect(sessions).toHaveLength(1);
    expect(sessions[0].id).toBe(await sessionIdOf(bob));
  });

  it("SECURITY 20: revoking one session refuses its very next request with 401 session_revoked", async () => {
    const { laptop, phone } = await twoDevices();
    const phoneSession = await sessionIdOf(phone);
    const response = await laptop.delete(`/api/auth/sessions/${phoneSession}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ revoked: true });
    const next = await phone.get("/api/auth/protected");
    expect(next.statusCode).toBe(401);
    expect(next.json().code).toBe("session_revoked");
    expect((await laptop.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("SECURITY 20: a revoked session cannot refresh its way back", async () => {
    const { laptop, phone } = await twoDevices();
    await laptop.delete(`/api/auth/sessions/${await sessionIdOf(phone)}`);
    const refresh = await phone.post("/api/auth/refresh", {});
    expect(refresh.statusCode).toBe(401);
    expect(refresh.json().code).toBe("invalid_refresh_token");
  });

  it("revocation is immediate even right after the session state was cached", async () => {
    const { laptop, phone } = await twoDevices();
    expect((await phone.get("/api/auth/protected")).statusCode).toBe(200);
    await laptop.delete(`/api/auth/sessions/${await sessionIdOf(phone)}`);
    expect((await phone.get("/api/auth/protected")).json().code).toBe("session_revoked");
  });

  it("revocation racing a request that is reading the session still wins", async () => {
    const { laptop, phone } = await twoDevices();
    const phoneSession = await sessionIdOf(phone);
    testApp.clock.advanceSeconds(5); // the cached state is stale: the next check reads the database
    const [during] = await Promise.all([
      phone.get("/api/auth/protected"),
      laptop.delete(`/api/auth/sessions/${phoneSession}`),
    ]);
    expect([200, 401]).toContain(during.statusCode);
    const after = await phone.get("/api/auth/protected");
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe("session_revoked");
  });

  it("revoking your current session clears your cookies", async () => {
    const { laptop } = await twoDevices();
    const response = await laptop.delete(`/api/auth/sessions/${await sessionIdOf(laptop)}`);
    expect(response.statusCode).toBe(200);
    expect(laptop.jar.access_token).toBeUndefined();
    expect(laptop.jar.refresh_token).toBeUndefined();
  });

  it("SECURITY 20: another user's session id answers 404 session_not_found and stays live", async () => {
    const { phone } = await twoDevices();
    const mallory = createBrowser(testApp);
    await signIn(testApp, mallory, "mallory@example.com");
    const response = await mallory.delete(`/api/auth/sessions/${await sessionIdOf(phone)}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe("session_not_found");
    expect((await phone.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("an unknown session id answers 404 session_not_found", async () => {
    const { laptop } = await twoDevices();
    const response = await laptop.delete(`/api/auth/sessions/${"x".repeat(22)}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe("session_not_found");
  });

  it("revoking needs a session: 401 not_authenticated", async () => {
    const response = await createBrowser(testApp).delete(`/api/auth/sessions/${"x".repeat(22)}`);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("not_authenticated");
  });

  it("a malformed session id answers 422 validation_error", async () => {
    const { laptop } = await twoDevices();
    const response = await laptop.delete("/api/auth/sessions/not%20an%20id");
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe("validation_error");
  });

  it("revoking is audited as session_revoked", async () => {
    const { laptop, phone } = await twoDevices();
    await laptop.delete(`/api/auth/sessions/${await sessionIdOf(phone)}`);
    expect(await auditTypes(testApp, "session_revoked")).toHaveLength(1);
  });

  it("SECURITY 20: log out everywhere refuses every session's next request", async () => {
    const { laptop, phone } = await twoDevices();
    const laptopCookies = stealCookies(laptop);
    const response = await laptop.post("/api/auth/logout-all", {});
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ revoked: 2 });
    expect(laptop.jar.access_token).toBeUndefined();
    for (const browser of [phone, browserWith(testApp, laptopCookies)]) {
      const next = await browser.get("/api/auth/protected");
      expect(next.statusCode).toBe(401);
      expect(next.json().code).toBe("session_revoked");
      expect((await browser.post("/api/auth/refresh", {})).statusCode).toBe(401);
    }
    expect(await auditTypes(testApp, "sessions_revoked_all")).toHaveLength(1);
  });

  it("log out everywhere without a body ends every session", async () => {
    const { laptop, phone } = await twoDevices();
    const response = await laptop.post("/api/auth/logout-all");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ revoked: 2 });
    expect((await phone.get("/api/auth/protected")).json().code).toBe("session_revoked");
  });

  it("SECURITY 20: log out every other session keeps only the current one", async () => {
    const { laptop, phone } = await twoDevices();
    const tablet = createBrowser(testApp);
    testApp.clock.advanceSeconds(31);
    await signIn(testApp, tablet, "alice@example.com");
    const response = await laptop.post("/api/auth/logout-all", { keep_current: true });
    expect(response.json()).toEqual({ revoked: 2 });
    expect(laptop.jar.access_token).toBeDefined();
    expect((await laptop.get("/api/auth/protected")).statusCode).toBe(200);
    expect((await laptop.post("/api/auth/refresh", {})).statusCode).toBe(200);
    for (const other of [phone, tablet]) {
      expect((await other.get("/api/auth/protected")).json().code).toBe("session_revoked");
    }
    const { sessions } = (await laptop.get("/api/auth/sessions")).json();
    expect(sessions).toHaveLength(1);
  });

  it("log out everywhere leaves other users signed in", async () => {
    const { laptop } = await twoDevices();
    const bob = createBrowser(testApp);
    await signIn(testApp, bob, "bob@example.com");
    await laptop.post("/api/auth/logout-all", {});
    expect((await bob.get("/api/auth/protected")).statusCode).toBe(200);
  });

  it("log out everywhere needs a session: 401 not_authenticated", async () => {
    const response = await createBrowser(testApp).post("/api/auth/logout-all", {});
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("not_authenticated");
  });

  it("SECURITY 17: logout revokes the session row and kills its refresh token", async () => {
    const browser = await signedInBrowser(testApp);
    const stolen = browserWith(testApp, stealCookies(browser));
    const response = await browser.post("/api/auth/logout");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: "Logged out" });
    const row = await testApp.database.db.selectFrom("sessions").selectAll().executeTakeFirstOrThrow();
    expect(row.revoked_at).not.toBeNull();
    expect(row.revoke_reason).toBe("logout");
    expect((await stolen.get("/api/auth/protected")).json().code).toBe("session_revoked");
    expect((await stolen.post("/api/auth/refresh", {})).json().code).toBe("invalid_refresh_token");
  });

  it("SECURITY 17: logout clears both cookies", async () => {
    const browser = await signedInBrowser(testApp);
    const response = await browser.post("/api/auth/logout");
    const cleared = Object.fromEntries(response.cookies.map((cookie) => [cookie.name, cookie]));
    expect(cleared.access_token?.value).toBe("");
    expect(cleared.access_token?.path).toBe("/");
    expect(cleared.refresh_token?.value).toBe("");
    expect(cleared.refresh_token?.path).toBe("/api/auth");
  });

  it("SECURITY 17: logout with an expired access token still ends the session through the refresh cookie", async () => {
    const browser = await signedInBrowser(testApp);
    const stolen = browserWith(testApp, stealCookies(browser));
    testApp.clock.advanceSeconds(16 * 60);
    expect((await browser.post("/api/auth/logout")).statusCode).toBe(200);
    expect((await stolen.post("/api/auth/refresh", {})).json().code).toBe("invalid_refresh_token");
  });

  it("logout without a session answers the seed shape", async () => {
    const response = await createBrowser(testApp).post("/api/auth/logout");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: "Logged out" });
  });

  it("logout is audited as signed_out", async () => {
    const browser = await signedInBrowser(testApp);
    await browser.post("/api/auth/logout");
    expect(await auditTypes(testApp, "signed_out")).toHaveLength(1);
  });

  it("a disabled user's sessions are refused at once", async () => {
    const browser = await signedInBrowser(testApp);
    testApp.clock.advanceSeconds(2);
    await testApp.database.db.updateTable("users").set({ disabled_at: testApp.clock.now() }).execute();
    expect((await browser.get("/api/auth/protected")).json().code).toBe("session_revoked");
    const refresh = await browser.post("/api/auth/refresh", {});
    expect(refresh.statusCode).toBe(401);
    expect(refresh.json().code).toBe("invalid_refresh_token");
  });
});
