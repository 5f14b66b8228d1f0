import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PUBLIC_URL, type TestApp } from "../support/harness.js";
import { rawExchange, statusOf } from "../support/raw-http.js";
import {
  authorize,
  authorizeUrl,
  createOidcAppWithClient,
  createOidcTestApp,
  interactionUidOf,
  locationOf,
  newBrowser,
  pkcePair,
  type RegisteredClient,
  registerClient,
  signInThroughClient,
  tokenRequest,
} from "./support.js";

let testApp: TestApp;
let client: RegisteredClient;
beforeEach(async () => {
  ({ testApp, client } = await createOidcAppWithClient());
});
afterEach(() => testApp.close());

async function codeFor(as: RegisteredClient, pkce = pkcePair()) {
  const callback = await authorize(
    testApp,
    newBrowser(testApp),
    authorizeUrl(as, { code_challenge: pkce.challenge, code_challenge_method: "S256" }),
  );
  return { code: callback.searchParams.get("code") ?? "", pkce };
}

const exchange = (as: RegisteredClient, code: string, verifier: string) =>
  tokenRequest(testApp, as, {
    grant_type: "authorization_code",
    code,
    redirect_uri: as.redirectUri,
    code_verifier: verifier,
  });

describe("redirect URIs", () => {
  for (const [label, redirectUri] of [
    ["unregistered", "https://evil.example/callback"],
    ["look-alike host", "https://app.example.evil.example/callback"],
    ["look-alike path", "https://app.example/callback/../evil"],
    ["extra query", "https://app.example/callback?x=1"],
    ["other scheme", "http://app.example/callback"],
  ]) {
    it(`an ${label} redirect_uri gets an error page, never a redirect`, async () => {
      const response = await newBrowser(testApp).get(
        authorizeUrl({ ...client, redirectUri: redirectUri ?? "" }),
      );
      expect(response.statusCode).toBe(400);
      expect(response.headers.location).toBeUndefined();
      expect(response.headers["content-type"]).toContain("text/html");
      expect(response.body).toContain('role="alert"');
      expect(response.body).not.toContain("<script");
    });
  }

  it("a native app's loopback redirect may use any port", async () => {
    const native = await registerClient(testApp, {
      name: "CLI",
      isPublic: true,
      redirectUris: ["http://127.0.0.1/callback"],
    });
    const pkce = pkcePair();
    const callback = await authorize(
      testApp,
      newBrowser(testApp),
      authorizeUrl(
        { ...native, redirectUri: "http://127.0.0.1:49152/callback" },
        { code_challenge: pkce.challenge, code_challenge_method: "S256" },
      ),
    );
    expect(callback.origin).toBe("http://127.0.0.1:49152");
  });
});

describe("PKCE and codes", () => {
  it("a public client without PKCE is refused", async () => {
    const publicClient = await registerClient(testApp, { name: "SPA", isPublic: true });
    const response = await newBrowser(testApp).get(authorizeUrl(publicClient));
    const location = new URL(locationOf(response));
    expect(location.origin + location.pathname).toBe(publicClient.redirectUri);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("state")).toBe("state-123");
  });

  it("a wrong code_verifier is refused", async () => {
    const { code } = await codeFor(client);
    const response = await exchange(client, code, pkcePair().verifier);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("invalid_grant");
  });

  it("a reused code is refused and revokes the tokens issued for it", async () => {
    const { code, pkce } = await codeFor(client);
    const first = await exchange(client, code, pkce.verifier);
    expect(first.statusCode).toBe(200);
    const replay = await exchange(client, code, pkce.verifier);
    expect(replay.json().error).toBe("invalid_grant");
    const userinfo = await testApp.app.inject({
      url: "/oidc/me",
      headers: { authorization: `Bearer ${first.json().access_token}` },
    });
    expect(userinfo.statusCode).toBe(401);
  });

  it("two parallel exchanges of one code: at most one gets tokens", async () => {
    const { code, pkce } = await codeFor(client);
    const results = await Promise.all([
      exchange(client, code, pkce.verifier),
      exchange(client, code, pkce.verifier),
    ]);
    expect(results.filter((result) => result.statusCode === 200).length).toBeLessThanOrEqual(1);
  });

  it("of parallel exchanges of one code, the losers are told invalid_grant and the winner's token dies", async () => {
    const { code, pkce } = await codeFor(client);
    const results = await Promise.all(Array.from({ length: 4 }, () => exchange(client, code, pkce.verifier)));
    const refused = results.filter((result) => result.statusCode !== 200);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const result of refused) expect(result.json().error).toBe("invalid_grant");
    for (const winner of results.filter((result) => result.statusCode === 200)) {
      const userinfo = await testApp.app.inject({
        url: "/oidc/me",
        headers: { authorization: `Bearer ${winner.json().access_token}` },
      });
      expect(userinfo.statusCode).toBe(401);
    }
  });

  it("a code consumed twice at once (the loser of a race) ends its whole grant, the grant itself included", async () => {
    const { code } = await codeFor(client);
    const provider = await testApp.services.oidc.ready();
    const adapter = provider.AuthorizationCode.adapter;
    await adapter.consume(code);
    await expect(adapter.consume(code)).rejects.toThrow("invalid_grant");
    const left = await testApp.database.db.selectFrom("oidc_payloads").select("model").execute();
    expect(left.map((row) => row.model)).not.toContain("Grant");
    expect(left.map((row) => row.model)).not.toContain("AuthorizationCode");
  });

  it("a code issued to another client is refused", async () => {
    const other = await registerClient(testApp, { name: "Other" });
    const { code, pkce } = await codeFor(other);
    const response = await exchange(client, code, pkce.verifier);
    expect(response.json().error).toBe("invalid_grant");
  });

  it("a code expires within 60 seconds", async () => {
    const { code, pkce } = await codeFor(client);
    const expiresAt = await testApp.database.db
      .selectFrom("oidc_payloads")
      .select(["created_at", "expires_at"])
      .where("model", "=", "AuthorizationCode")
      .where("id", "=", code)
      .executeTakeFirstOrThrow();
    expect(Number(expiresAt.expires_at) - Number(expiresAt.created_at)).toBeLessThanOrEqual(60_000);
    expect(pkce.verifier).toBeTruthy();
  });
});

describe("consent", () => {
  it("a third-party client shows a consent step; Deny returns access_denied with state", async () => {
    const thirdParty = await registerClient(testApp, { name: "Acme Docs", isFirstParty: false });
    const callback = await authorize(testApp, newBrowser(testApp), authorizeUrl(thirdParty, pkceQuery()), {
      decision: "deny",
    });
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe("state-123");
  });

  it("a cross-site consent submission is refused", async () => {
    const thirdParty = await registerClient(testApp, { name: "Acme Docs", isFirstParty: false });
    const browser = newBrowser(testApp);
    let uid = "";
    // Sign in, stop at the consent step.
    const first = await browser.get(authorizeUrl(thirdParty, pkceQuery()));
    uid = interactionUidOf(locationOf(first));
    const { signIn } = await import("../support/harness.js");
    await signIn(testApp, browser, "ada@example.com");
    const login = await browser.post(`/interaction/${uid}/login`);
    const consentStep = await browser.get(new URL(login.json().redirect_to).pathname);
    uid = interactionUidOf(locationOf(consentStep));
    const forged = await browser.post(
      `/interaction/${uid}/consent`,
      { decision: "allow" },
      { origin: "https://evil.example" },
    );
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe("csrf_rejected");
    const noCookie = await testApp.app.inject({
      method: "POST",
      url: `/interaction/${uid}/consent`,
      headers: { "content-type": "application/json", origin: PUBLIC_URL },
      payload: JSON.stringify({ decision: "allow" }),
    });
    expect(noCookie.statusCode).toBe(401);
  });
});

describe("id_token_hint at logout", () => {
  it("a forged id_token_hint is refused", async () => {
    const { tokens } = await signInThroughClient(testApp, newBrowser(testApp), client, { scope: "openid" });
    const [header, payload] = (tokens.id_token ?? "").split(".");
    const forged = `${header}.${payload}.${"A".repeat(342)}`;
    const response = await newBrowser(testApp).get(`/oidc/session/end?id_token_hint=${forged}`);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("id_token_hint");
  });
});

describe("rate limits", () => {
  it("/authorize beyond SENDS_PER_IP_PER_MINUTE from one IP gets 429 with Retry-After; other IPs go on", async () => {
    const limited = await createOidcTestApp({ env: { SENDS_PER_IP_PER_MINUTE: "3" } });
    try {
      const limitedClient = await registerClient(limited);
      const url = authorizeUrl(limitedClient, pkceQuery());
      const from = (remoteAddress: string) => limited.app.inject({ url, remoteAddress });
      for (let request = 0; request < 3; request++) {
        expect((await from("192.0.2.7")).statusCode).toBe(303);
      }
      const refused = await from("192.0.2.7");
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toEqual({
        detail: "Too many requests. Please try again later.",
        code: "rate_limited",
      });
      expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(60);
      expect((await from("198.51.100.9")).statusCode).toBe(303);
    } finally {
      await limited.close();
    }
  });

  it.each([
    ["a trailing slash", "/oidc/auth/?"],
    ["a '#' in the request line (oidc-provider's path ends there)", "/oidc/auth/#x?"],
  ])("/authorize with %s counts against the same limit", async (_, variant) => {
    const limited = await createOidcTestApp({ env: { SENDS_PER_IP_PER_MINUTE: "1" } });
    try {
      const url = authorizeUrl(await registerClient(limited), pkceQuery());
      expect((await limited.app.inject({ url })).statusCode).toBe(303);
      // A real socket: inject would drop the '#' and what follows.
      const varied = await rawExchange(
        limited,
        `GET ${url.replace("/oidc/auth?", variant)} HTTP/1.1\r\nHost: localhost:8000\r\nConnection: close\r\n\r\n`,
      );
      expect(statusOf(varied)).toBe(429);
      expect(varied).toContain('"code":"rate_limited"');
    } finally {
      await limited.close();
    }
  });
});

function pkceQuery() {
  const pkce = pkcePair();
  return { code_challenge: pkce.challenge, code_challenge_method: "S256" };
}
