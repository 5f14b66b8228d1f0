import { decodeJwt } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Browser, signIn, type TestApp } from "../support/harness.js";
import {
  authorize,
  authorizeUrl,
  createOidcAppWithClient,
  endSession,
  locationOf,
  newBrowser,
  POST_LOGOUT_URI,
  pathOf,
  pkcePair,
  type RegisteredClient,
  registerClient,
  signInThroughClient,
  submitLogoutForm,
} from "./support.js";

let testApp: TestApp;
let client: RegisteredClient;
beforeEach(async () => {
  ({ testApp, client } = await createOidcAppWithClient());
});
afterEach(() => testApp.close());

function pkceQuery(extra: Record<string, string> = {}) {
  const pkce = pkcePair();
  return { code_challenge: pkce.challenge, code_challenge_method: "S256", ...extra };
}

async function promptNone(browser: Browser, as = client) {
  const response = await browser.get(authorizeUrl(as, pkceQuery({ prompt: "none" })));
  return new URL(locationOf(response));
}

describe("single sign-on", () => {
  it("a second client signs the person in without a second email", async () => {
    const browser = newBrowser(testApp);
    await authorize(testApp, browser, authorizeUrl(client, pkceQuery()));
    const mailsBefore = testApp.mailbox.messages().length;
    const second = await registerClient(testApp, { name: "Acme Wiki" });
    const callback = await authorize(testApp, browser, authorizeUrl(second, pkceQuery()));
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(testApp.mailbox.messages().length).toBe(mailsBefore);
  });

  it("a person signed in to Latchkey first needs no email at /authorize", async () => {
    const browser = newBrowser(testApp);
    await signIn(testApp, browser, "ada@example.com");
    const mailsBefore = testApp.mailbox.messages().length;
    const callback = await authorize(testApp, browser, authorizeUrl(client, pkceQuery()));
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(testApp.mailbox.messages().length).toBe(mailsBefore);
  });

  it("prompt=none while signed in returns a code", async () => {
    const browser = newBrowser(testApp);
    await authorize(testApp, browser, authorizeUrl(client, pkceQuery()));
    expect((await promptNone(browser)).searchParams.get("code")).toBeTruthy();
  });

  it("prompt=none without a session returns login_required", async () => {
    const callback = await promptNone(newBrowser(testApp));
    expect(callback.searchParams.get("error")).toBe("login_required");
    expect(callback.searchParams.get("state")).toBe("state-123");
  });

  it("signing out of Latchkey ends the provider session: prompt=none then gives login_required", async () => {
    const browser = newBrowser(testApp);
    await authorize(testApp, browser, authorizeUrl(client, pkceQuery()));
    expect((await browser.post("/api/auth/logout")).statusCode).toBe(200);
    expect((await promptNone(browser)).searchParams.get("error")).toBe("login_required");
  });

  it("revoking the session from elsewhere ends it too", async () => {
    const browser = newBrowser(testApp);
    await authorize(testApp, browser, authorizeUrl(client, pkceQuery()));
    const { user_id: userId } = (await browser.get("/api/auth/session")).json();
    await testApp.services.sessions.revokeAllSessions(userId, { ip: "127.0.0.1", userAgent: "test" });
    expect((await promptNone(browser)).searchParams.get("error")).toBe("login_required");
  });

  it("without the Latchkey access cookie, the provider's cookie alone signs nobody in: prompt=none gives login_required", async () => {
    const browser = newBrowser(testApp);
    await authorize(testApp, browser, authorizeUrl(client, pkceQuery()));
    delete browser.jar.access_token;
    delete browser.jar.refresh_token;
    expect((await promptNone(browser)).searchParams.get("error")).toBe("login_required");
  });

  it("prompt=login asks for a fresh sign-in even with a live session", async () => {
    const browser = newBrowser(testApp);
    await authorize(testApp, browser, authorizeUrl(client, pkceQuery()));
    const response = await browser.get(authorizeUrl(client, pkceQuery({ prompt: "login" })));
    const uid = /interaction\/([^/?]+)/.exec(locationOf(response))?.[1] ?? "";
    const details = await browser.get(`/interaction/${uid}/details`);
    expect(details.json()).toMatchObject({ prompt: "login", fresh_sign_in_required: true });
    const stale = await browser.post(`/interaction/${uid}/login`);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe("fresh_sign_in_required");
  });
});

describe("RP-initiated logout", () => {
  const SIGNED_OUT_PAGE = "http://localhost:8000/oidc/session/end/success";

  /** A browser signed in to Latchkey through the client, and the ID token the client got. */
  async function signedInBrowser() {
    const browser = newBrowser(testApp);
    const { tokens } = await signInThroughClient(testApp, browser, client, { scope: "openid" });
    return { browser, idToken: tokens.id_token ?? "" };
  }

  async function expectSignedOutOfLatchkey(browser: Browser) {
    const session = await testApp.app.inject({
      url: "/api/auth/session",
      headers: { cookie: `access_token=${browser.jar.access_token}` },
    });
    expect(session.json().email).toBeNull();
  }

  it("asks with a Sign out button, then signs the person out of Latchkey and returns to the client", async () => {
    const { browser, idToken } = await signedInBrowser();
    const confirm = await endSession(browser, {
      id_token_hint: idToken,
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: "bye",
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(">Sign out</button>");
    const response = await submitLogoutForm(testApp, browser, confirm);
    expect(response.statusCode).toBe(303);
    expect(locationOf(response)).toBe(`${POST_LOGOUT_URI}?state=bye`);
    const cleared = response.cookies.find((cookie) => cookie.name === "access_token");
    expect(cleared?.value).toBe("");
    await expectSignedOutOfLatchkey(browser);
  });

  /**
   * The browser after Latchkey's access cookie (15 minutes) has lapsed: the refresh cookie
   * goes only to /api/auth, never to /oidc. Returns that refresh cookie.
   */
  function lapseAccessCookie(browser: Browser): string {
    const refreshCookie = browser.jar.refresh_token ?? "";
    delete browser.jar.access_token;
    delete browser.jar.refresh_token;
    return refreshCookie;
  }

  async function refreshStatus(refreshCookie: string) {
    const refreshed = await testApp.app.inject({
      method: "POST",
      url: "/api/auth/refresh",
      headers: { cookie: `refresh_token=${refreshCookie}`, origin: "http://localhost:8000" },
    });
    return refreshed.statusCode;
  }

  async function signOutFromApp(browser: Browser, idToken: string, { confirm = true } = {}) {
    const page = await endSession(browser, {
      id_token_hint: idToken,
      post_logout_redirect_uri: POST_LOGOUT_URI,
    });
    expect(page.body).toContain(">Sign out</button>");
    const response = await submitLogoutForm(testApp, browser, page, { confirm });
    expect(locationOf(response)).toBe(POST_LOGOUT_URI);
  }

  it("after Latchkey's access cookie has lapsed, still asks, and Sign out ends the Latchkey session", async () => {
    const { browser, idToken } = await signedInBrowser();
    const refreshCookie = lapseAccessCookie(browser);
    await signOutFromApp(browser, idToken);
    expect(await refreshStatus(refreshCookie)).toBe(401);
  });

  it("an app's silent sign-in check while the access cookie has lapsed does not stop Sign out from ending the session", async () => {
    const { browser, idToken } = await signedInBrowser();
    const refreshCookie = lapseAccessCookie(browser);
    expect((await promptNone(browser)).searchParams.get("error")).toBe("login_required");
    await signOutFromApp(browser, idToken);
    expect(await refreshStatus(refreshCookie)).toBe(401);
  });

  it("when someone else has signed in to Latchkey in this browser since, Sign out ends both sessions", async () => {
    const { browser, idToken } = await signedInBrowser();
    const firstRefreshCookie = lapseAccessCookie(browser);
    await signIn(testApp, browser, "bob@example.com");
    const secondRefreshCookie = browser.jar.refresh_token ?? "";
    await signOutFromApp(browser, idToken);
    expect(await refreshStatus(firstRefreshCookie)).toBe(401);
    expect(await refreshStatus(secondRefreshCookie)).toBe(401);
  });

  it("Stay signed in signs the person out of that app only: Latchkey stays signed in", async () => {
    const { browser, idToken } = await signedInBrowser();
    await signOutFromApp(browser, idToken, { confirm: false });
    expect((await browser.get("/api/auth/session")).json().email).toBe("ada@example.com");
    expect(await refreshStatus(browser.jar.refresh_token ?? "")).toBe(200);
  });

  it("an unregistered post_logout_redirect_uri is refused", async () => {
    const { browser, idToken } = await signedInBrowser();
    const response = await endSession(browser, {
      id_token_hint: idToken,
      post_logout_redirect_uri: "https://evil.example/",
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
  });

  it("without id_token_hint, client_id and a registered post_logout_redirect_uri: asks, then returns to the client", async () => {
    const { browser } = await signedInBrowser();
    const confirm = await endSession(browser, {
      client_id: client.clientId,
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: "bye",
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain("Sign out from Acme Docs");
    expect(confirm.body).toContain(">Sign out</button>");
    const response = await submitLogoutForm(testApp, browser, confirm);
    expect(response.statusCode).toBe(303);
    expect(locationOf(response)).toBe(`${POST_LOGOUT_URI}?state=bye`);
    await expectSignedOutOfLatchkey(browser);
  });

  it("client_id with a post_logout_redirect_uri registered to no client gets an error page, never a redirect", async () => {
    const { browser } = await signedInBrowser();
    const response = await endSession(browser, {
      client_id: client.clientId,
      post_logout_redirect_uri: "https://evil.example/",
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).toContain('role="alert"');
  });

  it("a post_logout_redirect_uri without id_token_hint or client_id is ignored: the person ends on the signed-out page", async () => {
    const evil = "https://evil.example/";
    // Signed in: the confirmation page, then Latchkey's own signed-out page.
    const { browser } = await signedInBrowser();
    const confirm = await endSession(browser, { post_logout_redirect_uri: evil, state: "bye" });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.headers.location).toBeUndefined();
    expect(confirm.body).not.toContain("evil.example");
    const response = await submitLogoutForm(testApp, browser, confirm);
    expect(response.statusCode).toBe(303);
    expect(locationOf(response)).toBe(SIGNED_OUT_PAGE);
    await expectSignedOutOfLatchkey(browser);
    // Not signed in: oidc-provider's self-submitting form, which ends there too.
    const stranger = newBrowser(testApp);
    const form = await endSession(stranger, { post_logout_redirect_uri: evil });
    expect(form.statusCode).toBe(200);
    expect(form.body).not.toContain("evil.example");
    const landed = await submitLogoutForm(testApp, stranger, form);
    expect(locationOf(landed)).toBe(SIGNED_OUT_PAGE);
  });

  it("with no parameters: asks, then signs the person out and shows the signed-out page", async () => {
    const { browser } = await signedInBrowser();
    const confirm = await endSession(browser);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain("Sign out of Latchkey on this device?");
    const response = await submitLogoutForm(testApp, browser, confirm);
    expect(response.statusCode).toBe(303);
    expect(locationOf(response)).toBe(SIGNED_OUT_PAGE);
    const page = await browser.get(pathOf(locationOf(response)));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("You are signed out.");
    await expectSignedOutOfLatchkey(browser);
  });

  it("an expired id_token_hint is still accepted as a hint, and signing out still asks first", async () => {
    const browser = newBrowser(testApp);
    // The ID token is issued two hours ago (oidc-provider keeps time with Date.now()).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 2 * 3600_000 });
    const issued = signInThroughClient(testApp, browser, client, { scope: "openid" });
    const idToken = (await issued.finally(() => vi.useRealTimers())).tokens.id_token ?? "";
    expect((decodeJwt(idToken).exp ?? 0) * 1000).toBeLessThan(Date.now());
    const confirm = await endSession(browser, {
      id_token_hint: idToken,
      post_logout_redirect_uri: POST_LOGOUT_URI,
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain("Sign out from Acme Docs");
    expect(confirm.body).toContain(">Sign out</button>");
    const response = await submitLogoutForm(testApp, browser, confirm);
    expect(locationOf(response)).toBe(POST_LOGOUT_URI);
    await expectSignedOutOfLatchkey(browser);
  });
});

describe("connected apps", () => {
  it("lists the client with its scopes, and Disconnect revokes its tokens", async () => {
    const browser = newBrowser(testApp);
    const { tokens } = await signInThroughClient(testApp, browser, client);
    const list = await browser.get("/api/auth/connected-apps");
    expect(list.statusCode).toBe(200);
    expect(list.json().apps).toEqual([
      expect.objectContaining({
        client_id: client.clientId,
        name: "Acme Docs",
        scopes: expect.arrayContaining(["openid", "email"]),
      }),
    ]);
    const disconnected = await browser.delete(`/api/auth/connected-apps/${client.clientId}`);
    expect(disconnected.statusCode).toBe(200);
    const userinfo = await testApp.app.inject({
      url: "/oidc/me",
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.statusCode).toBe(401);
    expect((await browser.get("/api/auth/connected-apps")).json().apps).toEqual([]);
  });

  it("the dashboard's security events show the sign-in to the app", async () => {
    const browser = newBrowser(testApp);
    await signInThroughClient(testApp, browser, client, { scope: "openid" });
    const events = (await browser.get("/api/auth/audit")).json().events;
    expect(events).toContainEqual(expect.objectContaining({ type: "oidc_authorized", app: "Acme Docs" }));
  });
});
