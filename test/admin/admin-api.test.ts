import { afterEach, describe, expect, it } from "vitest";
import { createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";
import { adminRequest } from "./support.js";

let testApp: TestApp;
const admin = (key: string, method: "GET" | "POST" | "DELETE", url: string, body?: unknown) =>
  adminRequest(testApp, key, method, url, body);

afterEach(async () => {
  await testApp?.close();
});

async function startWithKey(env: Record<string, string> = {}) {
  testApp = await createTestApp({ env });
  const { key, id } = await testApp.services.operations.adminKeys.create("support");
  return { key, id };
}

async function signedInUser(email: string) {
  const browser = createBrowser(testApp);
  await signIn(testApp, browser, email);
  const user = await testApp.database.db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
  return { browser, userId: user.id };
}

describe("admin API refusals", () => {
  it("does not exist (404) while no admin key exists, even with a well-formed key", async () => {
    testApp = await createTestApp();
    const response = await admin(`lk_admin_0123456789abcdef_${"a".repeat(43)}`, "GET", "/api/admin/users");
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe("not_found");
  });

  it("answers 401 admin_key_required without an Authorization header", async () => {
    await startWithKey();
    const response = await testApp.app.inject({ method: "GET", url: "/api/admin/users" });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("admin_key_required");
  });

  it("refuses a wrong key with the right id, and audits the refusal", async () => {
    const { id } = await startWithKey();
    const response = await admin(`lk_admin_${id}_${"b".repeat(43)}`, "GET", "/api/admin/users");
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("admin_key_invalid");
    const rejected = await testApp.database.db
      .selectFrom("audit_events")
      .selectAll()
      .where("type", "=", "admin_key_rejected")
      .execute();
    expect(rejected).toHaveLength(1);
  });

  it("refuses a revoked key at once", async () => {
    const { key, id } = await startWithKey();
    await testApp.services.operations.adminKeys.create("other");
    expect((await admin(key, "GET", "/api/admin/users")).statusCode).toBe(200);
    await testApp.services.operations.adminKeys.revoke(id);
    const response = await admin(key, "GET", "/api/admin/users");
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("admin_key_invalid");
  });

  it("refuses a user's access token and session cookie", async () => {
    await startWithKey();
    const { browser } = await signedInUser("user@example.com");
    const token = browser.jar.access_token ?? "";
    expect(token).not.toBe("");
    const asBearer = await admin(token, "GET", "/api/admin/users");
    expect(asBearer.statusCode).toBe(401);
    expect(asBearer.json().code).toBe("admin_key_invalid");
    const asCookie = await browser.get("/api/admin/users");
    expect(asCookie.statusCode).toBe(401);
    expect(asCookie.json().code).toBe("admin_key_required");
  });

  it("has its own rate limit per client IP", async () => {
    const { key } = await startWithKey({ ADMIN_RATE_LIMIT_PER_MINUTE: "3" });
    for (let index = 0; index < 3; index++)
      expect((await admin(key, "GET", "/api/admin/users")).statusCode).toBe(200);
    const refused = await admin(key, "GET", "/api/admin/users");
    expect(refused.statusCode).toBe(429);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
  });

  it("answers 404 user_not_found for unknown ids and 422 for malformed ones", async () => {
    const { key } = await startWithKey();
    for (const [method, path] of [
      ["GET", ""],
      ["DELETE", ""],
      ["POST", "/block"],
      ["POST", "/unblock"],
      ["POST", "/revoke-sessions"],
    ] as const) {
      const response = await admin(key, method, `/api/admin/users/AAAAAAAAAAAAAAAAAAAAAA${path}`);
      expect(response.statusCode, `${method} ${path}`).toBe(404);
      expect(response.json().code).toBe("user_not_found");
    }
    expect((await admin(key, "GET", "/api/admin/users/..%2F..")).statusCode).toBe(422);
  });
});

describe("admin API users", () => {
  it("finds a user by exact email and pages through every user with a cursor", async () => {
    const { key } = await startWithKey();
    for (const email of ["a@example.com", "b@example.com", "c@example.com"]) {
      expect((await admin(key, "POST", "/api/admin/users", { email })).statusCode).toBe(201);
    }
    const found = await admin(key, "GET", "/api/admin/users?email=B@Example.com");
    expect(found.json().users.map((user: { email: string }) => user.email)).toEqual(["b@example.com"]);
    const first = (await admin(key, "GET", "/api/admin/users?limit=2")).json();
    expect(first.users).toHaveLength(2);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await admin(key, "GET", `/api/admin/users?limit=2&cursor=${first.next_cursor}`)).json();
    expect(second.users).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    const all = [...first.users, ...second.users].map((user: { email: string }) => user.email).sort();
    expect(all).toEqual(["a@example.com", "b@example.com", "c@example.com"]);
  });

  it("creates a user once (409 user_exists after) and can mail an invitation", async () => {
    const { key } = await startWithKey();
    const created = await admin(key, "POST", "/api/admin/users", {
      email: "new@example.com",
      send_invitation: true,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ email: "new@example.com", blocked: false });
    const mail = await testApp.mailbox.waitFor("new@example.com");
    expect(mail.link).toEqual(expect.any(String));
    expect(mail.text).toMatch(/^An administrator of Latchkey created an account for this address\./);
    const again = await admin(key, "POST", "/api/admin/users", { email: "new@example.com" });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("user_exists");
  });

  it("shows a user with live sessions", async () => {
    const { key } = await startWithKey();
    const { userId } = await signedInUser("shown@example.com");
    const response = await admin(key, "GET", `/api/admin/users/${userId}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toMatchObject({ id: userId, email: "shown@example.com" });
    expect(body.sessions).toHaveLength(1);
    expect(body).toMatchObject({ passkeys: [], connected_apps: [] });
    expect(JSON.stringify(body)).not.toMatch(/refresh|hash/);
  });

  it("blocking ends every session at once and refuses sign-in until unblocked", async () => {
    const { key } = await startWithKey();
    const { browser, userId } = await signedInUser("blocked@example.com");
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(200);
    const blocked = await admin(key, "POST", `/api/admin/users/${userId}/block`);
    expect(blocked.json()).toMatchObject({ blocked: true });
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(401);
    const other = createBrowser(testApp);
    testApp.clock.advance(31_000);
    await expect(signIn(testApp, other, "blocked@example.com")).rejects.toThrow(/verify failed: 401/);
    expect((await admin(key, "POST", `/api/admin/users/${userId}/unblock`)).json()).toMatchObject({
      blocked: false,
    });
    testApp.clock.advance(31_000);
    await signIn(testApp, other, "blocked@example.com");
  });

  it("revokes one session or all of them", async () => {
    const { key } = await startWithKey();
    const { browser, userId } = await signedInUser("many@example.com");
    const second = createBrowser(testApp);
    testApp.clock.advance(31_000);
    await signIn(testApp, second, "many@example.com");
    const sessions = (await admin(key, "GET", `/api/admin/users/${userId}`)).json().sessions as {
      id: string;
    }[];
    expect(sessions).toHaveLength(2);
    const one = await admin(key, "POST", `/api/admin/users/${userId}/revoke-sessions`, {
      session_id: sessions[0]?.id,
    });
    expect(one.json()).toEqual({ revoked: 1 });
    const rest = await admin(key, "POST", `/api/admin/users/${userId}/revoke-sessions`);
    expect(rest.json()).toEqual({ revoked: 1 });
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(401);
    expect((await second.get("/api/auth/protected")).statusCode).toBe(401);
  });

  it("deletion erases the address: user, sessions, challenges and mail go; audit rows keep only the hash", async () => {
    const { key } = await startWithKey();
    const { browser, userId } = await signedInUser("erase@example.com");
    testApp.clock.advance(31_000);
    await browser.post("/api/auth/send-passwordless", { email: "erase@example.com" });
    const response = await admin(key, "DELETE", `/api/admin/users/${userId}`);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe("");
    const { db } = testApp.database;
    expect(await db.selectFrom("users").selectAll().where("id", "=", userId).execute()).toHaveLength(0);
    expect(await db.selectFrom("sessions").selectAll().where("user_id", "=", userId).execute()).toHaveLength(
      0,
    );
    expect(
      await db.selectFrom("auth_requests").selectAll().where("email", "=", "erase@example.com").execute(),
    ).toHaveLength(0);
    expect(
      await db.selectFrom("mail_outbox").selectAll().where("recipient", "=", "erase@example.com").execute(),
    ).toHaveLength(0);
    const audit = await db.selectFrom("audit_events").selectAll().execute();
    expect(audit.some((row) => row.type === "user_deleted" && row.user_id === userId && row.email_hash)).toBe(
      true,
    );
    expect(JSON.stringify(audit)).not.toContain("erase@example.com");
    expect((await browser.get("/api/auth/protected")).statusCode).toBe(401);
    expect((await admin(key, "GET", `/api/admin/users/${userId}`)).statusCode).toBe(404);
  });

  it("deletion erases the user's passkeys and OpenID grants, and lists them before", async () => {
    const { key } = await startWithKey();
    const { userId } = await signedInUser("keys@example.com");
    const { db } = testApp.database;
    const now = testApp.clock.now();
    await db
      .insertInto("passkeys")
      .values({
        id: "pk1",
        user_id: userId,
        credential_id: "cred1",
        public_key: "k",
        sign_count: 0,
        transports: "",
        backup_eligible: 0,
        backed_up: 0,
        name: "Laptop",
        created_at: now,
      })
      .execute();
    await db
      .insertInto("oidc_payloads")
      .values({
        model: "Grant",
        id: "g1",
        payload: "{}",
        account_id: userId,
        client_id: "c1",
        created_at: now,
      })
      .execute();
    const shown = await admin(key, "GET", `/api/admin/users/${userId}`);
    expect(shown.json().passkeys).toEqual([expect.objectContaining({ id: "pk1", name: "Laptop" })]);
    expect((await admin(key, "DELETE", `/api/admin/users/${userId}`)).statusCode).toBe(204);
    expect(await db.selectFrom("passkeys").selectAll().where("user_id", "=", userId).execute()).toEqual([]);
    expect(
      await db.selectFrom("oidc_payloads").selectAll().where("account_id", "=", userId).execute(),
    ).toEqual([]);
  });

  it("reads the audit log with filters, and every admin call is an event naming the key", async () => {
    const { key, id } = await startWithKey();
    const { userId } = await signedInUser("audited@example.com");
    await admin(key, "POST", `/api/admin/users/${userId}/block`);
    testApp.clock.advance(1000);
    const byUser = (await admin(key, "GET", `/api/admin/audit?user_id=${userId}&type=user_blocked`)).json();
    expect(byUser.events).toHaveLength(1);
    expect(byUser.events[0].detail).toEqual({ admin_key_id: id });
    const byEmail = (
      await admin(key, "GET", "/api/admin/audit?email=audited@example.com&type=signed_up")
    ).json();
    expect(byEmail.events).toHaveLength(1);
    testApp.clock.advance(1000);
    const calls = (await admin(key, "GET", "/api/admin/audit?type=admin_request&limit=2")).json();
    expect(calls.events).toHaveLength(2);
    expect(calls.events[0].detail).toMatchObject({
      admin_key_id: id,
      route: expect.stringContaining("/api/admin/audit"),
    });
    const older = (
      await admin(key, "GET", `/api/admin/audit?type=admin_request&limit=2&cursor=${calls.next_cursor}`)
    ).json();
    expect(older.events.map((event: { id: string }) => event.id)).not.toContain(calls.events[0].id);
  });
});

describe("admin API support sign-in links", () => {
  it("are off unless ADMIN_SIGN_IN_LINKS=true (403 sign_in_links_disabled)", async () => {
    const { key } = await startWithKey();
    await admin(key, "POST", "/api/admin/users", { email: "help@example.com" });
    const response = await admin(key, "POST", "/api/admin/sign-in-links", { email: "help@example.com" });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe("sign_in_links_disabled");
  });

  it("mint a short-lived, single-use, audited link that needs the confirmation click", async () => {
    const { key, id } = await startWithKey({ ADMIN_SIGN_IN_LINKS: "true", ADMIN_SIGN_IN_LINK_TTL: "120" });
    await admin(key, "POST", "/api/admin/users", { email: "help@example.com" });
    const response = await admin(key, "POST", "/api/admin/sign-in-links", { email: "help@example.com" });
    expect(response.statusCode).toBe(201);
    const { link, expires_at } = response.json();
    expect(Date.parse(expires_at) - testApp.clock.now()).toBe(120_000);
    const linkToken = new URL(link).searchParams.get("link_token");
    const browser = createBrowser(testApp);
    const unconfirmed = await browser.post("/api/auth/verify-magic-link", { link_token: linkToken });
    expect(unconfirmed.json().code).toBe("confirmation_required");
    const confirmed = await browser.post("/api/auth/verify-magic-link", {
      link_token: linkToken,
      confirm: true,
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().email).toBe("help@example.com");
    const replay = await createBrowser(testApp).post("/api/auth/verify-magic-link", {
      link_token: linkToken,
      confirm: true,
    });
    expect(replay.statusCode).toBe(400);
    const audit = await testApp.database.db
      .selectFrom("audit_events")
      .selectAll()
      .where("type", "=", "support_link_created")
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.detail ?? "{}")).toEqual({ admin_key_id: id });
    expect(testApp.mailbox.messages()).toHaveLength(0);
  });

  it("are refused for an unknown user and after the link's lifetime", async () => {
    const { key } = await startWithKey({ ADMIN_SIGN_IN_LINKS: "true", ADMIN_SIGN_IN_LINK_TTL: "60" });
    expect(
      (await admin(key, "POST", "/api/admin/sign-in-links", { email: "nobody@example.com" })).statusCode,
    ).toBe(404);
    await admin(key, "POST", "/api/admin/users", { email: "late@example.com" });
    const { link } = (
      await admin(key, "POST", "/api/admin/sign-in-links", { email: "late@example.com" })
    ).json();
    testApp.clock.advance(61_000);
    const expired = await createBrowser(testApp).post("/api/auth/verify-magic-link", {
      link_token: new URL(link).searchParams.get("link_token"),
      confirm: true,
    });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().code).toBe("challenge_expired");
  });
});
