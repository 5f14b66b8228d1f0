/**
 * A minimal relying party for Latchkey's OpenID Provider, on openid-client 6: sign in with
 * the code flow and PKCE, validate the ID token, call userinfo, rotate the refresh token,
 * revoke, and sign out (RP-initiated logout). One person at a time, state in memory: an
 * example to read, not a framework.
 *
 *   latchkey clients add --name "Example app" --redirect-uri http://127.0.0.1:3000/callback \
 *     --post-logout-redirect-uri http://127.0.0.1:3000/ --json
 *   ISSUER=http://localhost:8000 CLIENT_ID=… CLIENT_SECRET=… npx tsx examples/oidc-relying-party/server.ts
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import * as oidc from "openid-client";

export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  port?: number;
  scope?: string;
  /** Extra authorization parameters, e.g. `{prompt: "consent"}`. */
  authorizationParameters?: Record<string, string>;
}

export interface RelyingParty {
  readonly url: string;
  /** What the app knows about the signed-in person (for tests and the page). */
  state(): RelyingPartyState;
  close(): Promise<void>;
}

export interface RelyingPartyState {
  claims?: Record<string, unknown>;
  userinfo?: Record<string, unknown>;
  accessToken?: string;
  refreshToken?: string;
  idToken?: string;
  error?: string;
}

interface PendingSignIn {
  verifier: string;
  state: string;
  nonce: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function page(response: ServerResponse, status: number, body: string) {
  response.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  response.end(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Example app</title></head><body>${body}</body></html>`,
  );
}

function redirect(response: ServerResponse, location: string) {
  response.writeHead(303, { location, "cache-control": "no-store" });
  response.end();
}

export async function startRelyingParty(options: RelyingPartyOptions): Promise<RelyingParty> {
  const issuer = new URL(options.issuer);
  const isLocal = issuer.protocol === "http:";
  const config = await oidc.discovery(
    issuer,
    options.clientId,
    options.clientSecret ? { client_secret: options.clientSecret } : { token_endpoint_auth_method: "none" },
    options.clientSecret ? oidc.ClientSecretBasic(options.clientSecret) : oidc.None(),
    isLocal ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
  const pending = new Map<string, PendingSignIn>();
  let current: RelyingPartyState = {};
  let baseUrl = "";

  async function signIn(response: ServerResponse, extra: Record<string, string>) {
    const verifier = oidc.randomPKCECodeVerifier();
    const signInRequest = { verifier, state: oidc.randomState(), nonce: oidc.randomNonce() };
    const id = randomBytes(16).toString("base64url");
    pending.set(id, signInRequest);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${baseUrl}/callback`,
      scope: options.scope ?? "openid email offline_access",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: signInRequest.state,
      nonce: signInRequest.nonce,
      ...options.authorizationParameters,
      ...extra,
    });
    response.setHeader("set-cookie", `rp_sign_in=${id}; Path=/; HttpOnly; SameSite=Lax`);
    redirect(response, url.href);
  }

  async function callback(request: IncomingMessage, response: ServerResponse) {
    const id = /(?:^|;\s*)rp_sign_in=([^;]+)/.exec(request.headers.cookie ?? "")?.[1];
    const signInRequest = id ? pending.get(id) : undefined;
    if (!id || !signInRequest) return page(response, 400, "<p>No sign-in in progress.</p>");
    pending.delete(id);
    const currentUrl = new URL(request.url ?? "/", baseUrl);
    if (currentUrl.searchParams.has("error")) {
      current = { error: currentUrl.searchParams.get("error") ?? "error" };
      return page(response, 200, `<p id="error">${escapeHtml(current.error ?? "")}</p>`);
    }
    // Checks state, PKCE, the ID token's signature, issuer, audience, expiry and nonce.
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: signInRequest.verifier,
      expectedState: signInRequest.state,
      expectedNonce: signInRequest.nonce,
    });
    const claims: Record<string, unknown> = tokens.claims() ?? {};
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
    current = {
      claims,
      userinfo,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
    };
    page(
      response,
      200,
      `<p>Signed in as <strong id="email">${escapeHtml(String(userinfo.email ?? claims.sub))}</strong></p>`,
    );
  }

  async function refresh(response: ServerResponse) {
    if (!current.refreshToken) return page(response, 400, "<p>No refresh token.</p>");
    const tokens = await oidc.refreshTokenGrant(config, current.refreshToken);
    current = {
      ...current,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? current.refreshToken,
    };
    page(response, 200, "<p>Refreshed.</p>");
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", baseUrl);
    switch (url.pathname) {
      case "/":
        return page(response, 200, '<p><a href="/login">Sign in with Latchkey</a></p>');
      case "/login":
        return signIn(
          response,
          url.searchParams.get("prompt") ? { prompt: url.searchParams.get("prompt") ?? "" } : {},
        );
      case "/callback":
        return callback(request, response);
      case "/refresh":
        return refresh(response);
      case "/logout": {
        const idToken = current.idToken;
        current = {};
        const end = oidc.buildEndSessionUrl(config, {
          ...(idToken ? { id_token_hint: idToken } : {}),
          post_logout_redirect_uri: `${baseUrl}/`,
        });
        return redirect(response, end.href);
      }
      default:
        return page(response, 404, "<p>Not found.</p>");
    }
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      current = { ...current, error: error instanceof Error ? error.message : String(error) };
      if (!response.headersSent) page(response, 500, `<p id="error">${escapeHtml(current.error ?? "")}</p>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url: baseUrl,
    state: () => current,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Exposes the options of a configured client: refresh and revoke for tests that drive the app. */
export { oidc };

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ""));
if (isMain && process.env.CLIENT_ID && process.env.ISSUER) {
  const relyingParty = await startRelyingParty({
    issuer: process.env.ISSUER,
    clientId: process.env.CLIENT_ID,
    clientSecret: process.env.CLIENT_SECRET,
    port: Number(process.env.PORT ?? 3000),
  });
  process.stdout.write(`example app on ${relyingParty.url}\n`);
}
