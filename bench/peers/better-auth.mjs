// Better Auth with its email-OTP plugin, sending real mail over SMTP, and its OAuth 2.1 / OpenID Connect
// provider plugin with the JWT plugin that plugin recommends (ID tokens signed with its keys), each
// configured as its docs suggest. The login and consent pages belong to the app hosting Better Auth;
// the driver plays their part, so they are never fetched.
// Env: PORT, PUBLIC_URL, SMTP_URL, SECRET_KEY, DATABASE_URL (sqlite:<path> or postgres://...).
import { createServer } from "node:http";
import { oauthProvider } from "@better-auth/oauth-provider";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { emailOTP, jwt } from "better-auth/plugins";
import Database from "better-sqlite3";
import nodemailer from "nodemailer";
import pg from "pg";

const env = process.env;

function openDatabase(url) {
  if (url.startsWith("sqlite:")) {
    const db = new Database(url.slice("sqlite:".length));
    db.pragma("journal_mode = WAL");
    return db;
  }
  return new pg.Pool({ connectionString: url });
}

const mailer = nodemailer.createTransport(`${env.SMTP_URL}?pool=true`);

// The plugin's docs advise not awaiting delivery (timing attacks), so the request path does not wait on SMTP.
function sendVerificationOTP({ email, otp }) {
  mailer
    .sendMail({
      from: "auth@bench.test",
      to: email,
      subject: "Your sign-in code",
      text: `Your code: ${otp}\n`,
    })
    .catch((error) => console.error(`better-auth peer: mail to ${email} failed: ${error.message}`));
}

const options = {
  baseURL: env.PUBLIC_URL,
  secret: env.SECRET_KEY,
  database: openDatabase(env.DATABASE_URL),
  // Same footing as Latchkey's RATE_LIMITS=off: a login storm from one IP is the point of the
  // benchmark. This also lifts the OAuth plugin's own windows (e.g. 20 token calls a minute).
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  logger: { level: "error" },
  // The JWT plugin's session-to-JWT endpoint; the OAuth provider issues the tokens here.
  disabledPaths: ["/token"],
  plugins: [
    emailOTP({ sendVerificationOTP }),
    jwt(),
    oauthProvider({ loginPage: "/sign-in", consentPage: "/consent" }),
  ],
};

const { runMigrations } = await getMigrations(options);
await runMigrations();

const auth = betterAuth(options);
createServer(toNodeHandler(auth)).listen(Number(env.PORT), "127.0.0.1", () => {
  console.log(`better-auth peer ready on ${env.PUBLIC_URL}`);
});
