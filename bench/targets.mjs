// The servers under test and how to sign in to each.
import { existsSync } from "node:fs";
import { ADMIN_URL } from "./postgres.mjs";

export const SESSION_EMAIL = "session@bench.test";
const LATCHKEY_ENTRY = "dist/server.js";

const latchkeyFlow = {
  send: (email) => ({ method: "POST", path: "/api/auth/send-passwordless", body: { email } }),
  verify: (_email, code, sent) => ({
    method: "POST",
    path: "/api/auth/verify-otp",
    body: { code, auth_request_id: JSON.parse(sent).auth_request_id },
  }),
  sessionPath: "/api/auth/session",
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
};

const bare = (name, script) => ({
  name,
  script,
  readyPath: "/session",
  sessionPath: "/session",
  compareWith: "better-auth",
});

const latchkey = (name, database) => ({
  name,
  script: LATCHKEY_ENTRY,
  database,
  readyPath: "/readyz",
  sessionPath: latchkeyFlow.sessionPath,
  flow: latchkeyFlow,
  compareWith: database === "postgres" ? "better-auth-pg" : "better-auth",
});

const betterAuth = (name, database) => ({
  name,
  script: "bench/peers/better-auth.mjs",
  database,
  readyPath: "/api/auth/ok",
  sessionPath: betterAuthFlow.sessionPath,
  flow: betterAuthFlow,
  compareWith: name,
});

export const TARGETS = [
  bare("bare-node", "bench/peers/bare-node.mjs"),
  bare("bare-fastify", "bench/peers/bare-fastify.mjs"),
  latchkey("latchkey", "sqlite"),
  latchkey("latchkey-pg", "postgres"),
  betterAuth("better-auth", "sqlite"),
  betterAuth("better-auth-pg", "postgres"),
];

export const BARE_BASELINE = "bare-node";

/** Why a target cannot run on this machine right now, or null. */
export function skipReason(target, { postgresReachable }) {
  if (target.script === LATCHKEY_ENTRY && !existsSync(LATCHKEY_ENTRY)) {
    return `${LATCHKEY_ENTRY} is missing (build with npm run build)`;
  }
  if (target.database === "postgres" && !postgresReachable) return `PostgreSQL not reachable at ${ADMIN_URL}`;
  return null;
}

/** The same environment for every server; each reads what it understands. */
export function serverEnv({ port, smtpUrl, dataDir, databaseUrl, secretKey }) {
  const publicUrl = `http://127.0.0.1:${port}`;
  return {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: publicUrl,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtpUrl,
    SECRET_KEY: secretKey,
    NODE_ENV: "development",
    LOG_LEVEL: "warn",
    // A login storm from one address would otherwise hit per-IP and per-email limits.
    RATE_LIMITS: "off",
    SESSION_EMAIL,
  };
}
