// The servers under test, how to sign in to each, and which scenarios each runs.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { call } from "./http.mjs";
import { ADMIN_URL } from "./postgres.mjs";
import { signIn } from "./scenarios/login.mjs";
import { betterAuthInteraction, latchkeyInteraction, REDIRECT_URI } from "./scenarios/oidc.mjs";

export const SESSION_EMAIL = "session@bench.test";
const LATCHKEY_ENTRY = "dist/server.js";
const LATCHKEY_CLI = "dist/cli.js";

/**
 * The Node.js flags `npm start` runs Latchkey with, read from package.json (where they are written
 * once): the benchmark measures the server as users start it.
 */
export function startNodeFlags(packageJson = JSON.parse(readFileSync("package.json", "utf8"))) {
  const match = /\bnode((?:\s+--\S+)*)\s+dist\/server\.js\b/.exec(packageJson.scripts?.start ?? "");
  if (!match) throw new Error('package.json\'s start script does not run "node [flags] dist/server.js"');
  return match[1].split(/\s+/).filter(Boolean);
}

/** Every scenario, in the order a target runs them (`--only` selects by these names too). */
export const SCENARIOS = [
  "session",
  "session-open",
  "login",
  "login-open",
  "oidc",
  "passkey",
  "costs",
  // Not a target's own: bare node and both Latchkey variants side by side, in alternating rounds.
  "session-paired",
];

/** The servers the paired session rounds compare, the baseline first. */
export const PAIRED_SESSION_TARGETS = ["bare-node", "latchkey", "latchkey-warn"];

/**
 * Registers a first-party confidential client through the CLI, as an operator would. Its ID tokens
 * are EdDSA (Ed25519), the algorithm Better Auth's JWT plugin signs them with by default, so both
 * servers do the same signing work; RS256, the default for a client, costs more per token
 * (docs/performance.md measures it).
 */
async function registerLatchkeyClient({ env }) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      LATCHKEY_CLI,
      "clients",
      "add",
      "--name",
      "Bench",
      "--redirect-uri",
      REDIRECT_URI,
      "--first-party",
      "--id-token-alg",
      "EdDSA",
      "--json",
    ],
    { env: { ...env, LOG_LEVEL: "warn" } },
  );
  // The client's JSON is the line holding client_id (log lines may surround it).
  const line = stdout.split("\n").find((text) => text.startsWith("{") && text.includes('"client_id"'));
  if (!line) throw new Error(`clients add printed no client: ${stdout.slice(0, 300)}`);
  const client = JSON.parse(line);
  return {
    clientId: client.client_id,
    clientSecret: client.client_secret,
    authorizePath: "/oidc/auth",
    tokenPath: "/oidc/token",
    userinfoPath: "/oidc/me",
  };
}

const latchkeyFlow = {
  send: (email) => ({ method: "POST", path: "/api/auth/send-passwordless", body: { email } }),
  verify: (_email, code, sent) => ({
    method: "POST",
    path: "/api/auth/verify-otp",
    body: { code, auth_request_id: JSON.parse(sent).auth_request_id },
  }),
  sessionPath: "/api/auth/session",
  interact: latchkeyInteraction,
  registerClient: registerLatchkeyClient,
};

const betterAuthFlow = {
  send: (email) => ({
    method: "POST",
    path: "/api/auth/email-otp/send-verification-otp",
    body: { email, type: "sign-in" },
  }),
  verify: (email, code) => ({
    method: "POST",
    path: "/api/auth/sign-in/email-otp",
    body: { email, otp: code },
  }),
  sessionPath: "/api/auth/get-session",
  loginPage: "/sign-in",
  consentPage: "/consent",
  consentPath: "/api/auth/oauth2/consent",
  interact: betterAuthInteraction,
  registerClient: registerBetterAuthClient,
};

/**
 * Registers a confidential client through the OAuth plugin's create-client endpoint, which needs a
 * signed-in user (the app's owner; the plugin's admin endpoint needs a session too).
 */
async function registerBetterAuthClient({ baseUrl, sink }) {
  const { jar } = await signIn({ baseUrl, flow: betterAuthFlow, sink, email: "owner@bench.test" });
  const body = {
    client_name: "Bench",
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: "client_secret_basic",
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
  };
  const client = JSON.parse(
    await call(baseUrl, { method: "POST", path: "/api/auth/oauth2/create-client", body }, jar),
  );
  if (!client.client_id || !client.client_secret) throw new Error("create-client answered no credentials");
  return {
    clientId: client.client_id,
    clientSecret: client.client_secret,
    authorizePath: "/api/auth/oauth2/authorize",
    tokenPath: "/api/auth/oauth2/token",
    userinfoPath: "/api/auth/oauth2/userinfo",
  };
}

const bare = (name, script) => ({
  name,
  script,
  readyPath: "/session",
  sessionPath: "/session",
  compareWith: "better-auth",
  scenarios: ["session", "session-open"],
});

/**
 * Latchkey in its default configuration (started like `npm start`, request log at info on stdout,
 * into a file), except
 * RATE_LIMITS=off: every driver request comes from 127.0.0.1. `env` adds the variant's settings.
 */
const latchkey = (name, { database = "sqlite", env = {}, redis = false, scenarios }) => ({
  name,
  script: LATCHKEY_ENTRY,
  nodeFlags: startNodeFlags(),
  database,
  redis,
  env,
  readyPath: "/readyz",
  sessionPath: latchkeyFlow.sessionPath,
  flow: latchkeyFlow,
  compareWith: database === "postgres" ? "better-auth-pg" : "better-auth",
  scenarios,
});

const betterAuth = (name, { database = "sqlite", scenarios }) => ({
  name,
  script: "bench/peers/better-auth.mjs",
  database,
  readyPath: "/api/auth/ok",
  sessionPath: betterAuthFlow.sessionPath,
  flow: betterAuthFlow,
  compareWith: name,
  scenarios,
});

export const TARGETS = [
  bare("bare-node", "bench/peers/bare-node.mjs"),
  bare("bare-fastify", "bench/peers/bare-fastify.mjs"),
  latchkey("latchkey", { scenarios: ["session", "session-open", "login", "login-open", "oidc", "passkey"] }),
  latchkey("latchkey-warn", { env: { LOG_LEVEL: "warn" }, scenarios: ["session"] }),
  latchkey("latchkey-pg", {
    database: "postgres",
    redis: true,
    scenarios: ["session", "login", "oidc", "passkey", "costs"],
  }),
  betterAuth("better-auth", { scenarios: ["session", "session-open", "login", "login-open", "oidc"] }),
  betterAuth("better-auth-pg", { database: "postgres", scenarios: ["session", "login", "oidc", "costs"] }),
];

export const BARE_BASELINE = "bare-node";

/** Why a target cannot run on this machine right now, or null. */
export function skipReason(target, { postgresReachable, redisAvailable }) {
  if (target.script === LATCHKEY_ENTRY && !existsSync(LATCHKEY_ENTRY)) {
    return `${LATCHKEY_ENTRY} is missing (build with npm run build)`;
  }
  if (target.database === "postgres" && !postgresReachable) return `PostgreSQL not reachable at ${ADMIN_URL}`;
  if (target.redis && !redisAvailable) return "redis-server not found (the target runs a private Redis)";
  return null;
}

// Inherited settings that would change what is measured.
const OVERRIDDEN = ["LOG_LEVEL", "RATE_LIMITS", "REDIS_URL", "DATABASE_URL", "NODE_ENV"];

/**
 * The same environment for every server; each reads what it understands. `rateLimits: true` keeps the
 * default per-IP and per-email windows (the costs scenario), otherwise they are off for the storms.
 */
export function serverEnv({
  port,
  smtpUrl,
  dataDir,
  databaseUrl,
  redisUrl,
  secretKey,
  extra = {},
  rateLimits = false,
}) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !OVERRIDDEN.includes(key)),
  );
  return {
    ...inherited,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    SMTP_URL: smtpUrl,
    SECRET_KEY: secretKey,
    NODE_ENV: "development",
    // A login storm from one address would otherwise hit per-IP and per-email limits.
    ...(rateLimits ? {} : { RATE_LIMITS: "off" }),
    SESSION_EMAIL,
    ...extra,
  };
}
