// OIDC scenarios: authorization-code logins (the whole browser journey plus the client's token
// call), refresh-token rotations and userinfo calls, against a registered confidential client.
import { createHash, randomBytes } from "node:crypto";
import { CookieJar, call, namesUser, redirectOf, send } from "../http.mjs";
import { runClosedLoop } from "./closed-loop.mjs";
import { signIn } from "./login.mjs";
import { runSessionLoad } from "./session.mjs";

// Never fetched: the driver reads the code from the Location header. HTTPS on a reserved name, since
// Better Auth accepts plain-HTTP loopback redirects for native apps only.
export const REDIRECT_URI = "https://client.bench.test/callback";
const SCOPE = "openid email offline_access";
const MAX_INTERACTION_STEPS = 6;

// A browser's top-level navigation (no Origin): Better Auth answers fetches with JSON, not a redirect.
const NAVIGATION = { accept: "text/html", "sec-fetch-mode": "navigate" };

let serial = 0;

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

const basicAuth = ({ clientId, clientSecret }) =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`;

/** The path and query of a URL on the server's origin (redirects may be absolute). */
function pathOf(location, baseUrl) {
  const url = new URL(location, baseUrl);
  return `${url.pathname}${url.search}`;
}

async function tokenCall(baseUrl, client, form) {
  const text = await call(baseUrl, {
    method: "POST",
    path: client.tokenPath,
    form,
    headers: { authorization: basicAuth(client) },
    backChannel: true,
  });
  return JSON.parse(text);
}

/**
 * One OIDC login as a relying party and a fresh browser do it: /authorize → the provider's
 * sign-in (emailed code) → consent when asked → back to the client with a code → /token.
 * Resolves with the token response.
 */
export async function oidcLogin({ baseUrl, flow, sink, client, email }) {
  const jar = new CookieJar();
  const pkce = pkcePair();
  const query = new URLSearchParams({
    client_id: client.clientId,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    prompt: "consent",
    state: randomBytes(8).toString("hex"),
    nonce: randomBytes(8).toString("hex"),
    code_challenge: pkce.challenge,
    code_challenge_method: "S256",
  });
  let location = await nextOf(
    baseUrl,
    { path: `${client.authorizePath}?${query}`, headers: NAVIGATION, backChannel: true },
    jar,
  );
  let signedIn = false;
  for (let step = 0; step < MAX_INTERACTION_STEPS && !location.startsWith(REDIRECT_URI); step++) {
    const { next, didSignIn } = await flow.interact({ baseUrl, flow, sink, jar, location, email, signedIn });
    signedIn ||= didSignIn;
    location = next;
  }
  const callback = new URL(location);
  const code = callback.searchParams.get("code");
  if (!code || !location.startsWith(REDIRECT_URI)) throw new Error(`no code in the redirect: ${location}`);
  return tokenCall(baseUrl, client, {
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: pkce.verifier,
  });
}

/** Where a step of the flow leads: its redirect, or the URL of Better Auth's `{redirect: true, url}` answer. */
export async function nextOf(baseUrl, request, jar) {
  const { status, headers, text } = await send(baseUrl, request, jar);
  const location = headers.get("location");
  if (status >= 300 && status <= 399 && location) return location;
  if (status === 200 && text.startsWith("{") && JSON.parse(text).redirect === true)
    return nextUrlOf(text, request.path);
  throw new Error(
    `${request.method ?? "GET"} ${request.path} -> ${status}, leads nowhere: ${text.slice(0, 200)}`,
  );
}

/** Latchkey: the interaction pages' API, as its web UI calls it. */
export async function latchkeyInteraction({ baseUrl, flow, sink, jar, location, email, signedIn }) {
  const path = pathOf(location, baseUrl);
  const uid = /\/interaction\/([A-Za-z0-9_-]+)$/.exec(new URL(location, baseUrl).pathname)?.[1];
  if (!uid) {
    // Back on the provider (e.g. /oidc/auth/<uid> resuming): follow it.
    return { next: await redirectOf(baseUrl, { path }, jar), didSignIn: false };
  }
  const details = JSON.parse(await call(baseUrl, { path: `${path}/details` }, jar));
  let answer;
  let didSignIn = false;
  if (details.prompt === "login") {
    if (!signedIn) {
      await signIn({ baseUrl, flow, sink, email, jar });
      didSignIn = true;
    }
    answer = await call(baseUrl, { method: "POST", path: `${path}/login` }, jar);
  } else {
    answer = await call(
      baseUrl,
      { method: "POST", path: `${path}/consent`, body: { decision: "allow" } },
      jar,
    );
  }
  const redirectTo = pathOf(JSON.parse(answer).redirect_to, baseUrl);
  return { next: await redirectOf(baseUrl, { path: redirectTo }, jar), didSignIn };
}

/**
 * Better Auth: its authorize endpoint sends the browser to the app's login or consent page with a
 * signed copy of the request in the query; the page hands that query back (`oauth_query`, what the
 * plugin's client does) with the sign-in or the consent, and gets the next URL as JSON.
 */
export async function betterAuthInteraction({ baseUrl, flow, sink, jar, location, email, signedIn }) {
  const url = new URL(location, baseUrl);
  // The query holds only the signed parameters the server put there, so it is handed back whole.
  const oauthQuery = url.search.slice(1);
  if (url.pathname === flow.loginPage && !signedIn) {
    const { verified } = await signIn({
      baseUrl,
      flow,
      sink,
      email,
      jar,
      verifyExtra: { oauth_query: oauthQuery },
    });
    return { next: nextUrlOf(verified, location), didSignIn: true };
  }
  if (url.pathname === flow.consentPage) {
    const answer = await call(
      baseUrl,
      { method: "POST", path: flow.consentPath, body: { accept: true, oauth_query: oauthQuery } },
      jar,
    );
    return { next: nextUrlOf(answer, location), didSignIn: false };
  }
  throw new Error(`the authorize flow stopped at ${location}`);
}

/** The URL in a Better Auth JSON answer ({url} or {redirect_uri}). */
function nextUrlOf(text, from) {
  const answer = JSON.parse(text);
  const next = answer.url ?? answer.redirect_uri;
  if (typeof next !== "string") throw new Error(`no next URL after ${from}: ${text.slice(0, 200)}`);
  return next;
}

/** Closed-loop OIDC logins, a fresh address each. */
export function runOidcLogins({ baseUrl, flow, sink, client, durationS }) {
  return runClosedLoop({
    durationS,
    operation: async (vu) => {
      await oidcLogin({ baseUrl, flow, sink, client, email: `oidc-${vu}-${++serial}@bench.test` });
    },
  });
}

/** One signed-in relying-party user per virtual user, each holding a refresh token to rotate. */
export async function prepareRefreshers({ baseUrl, flow, sink, client, count }) {
  const holders = [];
  for (let i = 0; i < count; i++) {
    const tokens = await oidcLogin({ baseUrl, flow, sink, client, email: `refresh-${i}@bench.test` });
    if (!tokens.refresh_token) throw new Error("the token response holds no refresh_token");
    holders.push(tokens);
  }
  return holders;
}

/** Closed-loop refreshes: every refresh returns a new refresh token, which the next one uses. */
export function runRefreshes({ baseUrl, client, holders, durationS }) {
  return runClosedLoop({
    durationS,
    virtualUsers: holders.length,
    operation: async (vu) => {
      const renewed = await tokenCall(baseUrl, client, {
        grant_type: "refresh_token",
        refresh_token: holders[vu].refresh_token,
      });
      if (!renewed.access_token || !renewed.refresh_token) throw new Error("refresh answered no tokens");
      holders[vu] = renewed;
    },
  });
}

/** Checks that userinfo names `email` for `accessToken` (the scenario's load runs through autocannon). */
export async function checkUserinfo({ baseUrl, client, accessToken, email }) {
  const { status, text } = await send(baseUrl, {
    path: client.userinfoPath,
    headers: { authorization: `Bearer ${accessToken}` },
    backChannel: true,
  });
  if (status !== 200 || !namesUser(text, email))
    throw new Error(`userinfo -> ${status} ${text.slice(0, 200)}`);
}

/**
 * Signs `email` in through the client, checks userinfo once, and returns the userinfo load:
 * `(durationS) => run`, autocannon on keep-alive connections with the access token.
 */
export async function prepareUserinfoLoad({ baseUrl, flow, sink, client, email }) {
  const tokens = await oidcLogin({ baseUrl, flow, sink, client, email });
  await checkUserinfo({ baseUrl, client, accessToken: tokens.access_token, email });
  return (durationS) =>
    runSessionLoad({
      baseUrl,
      path: client.userinfoPath,
      headers: { authorization: `Bearer ${tokens.access_token}` },
      email,
      durationS,
    });
}
