import { z } from "zod";
import { DEFAULT_DATA_DIR } from "./environment.js";
import { parseSender } from "./mail/addresses.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Environment → typed, frozen Config. With environment.ts, the only modules that read `process.env`.
 * Every bad variable is reported at once, one line each, so an operator fixes them in
 * one pass.
 */

const PLACEHOLDER_SECRETS = new Set(["secret", "changeme", "change-me", "your-secret-key", "password"]);

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
  .transform((value) => ["true", "1", "yes", "on"].includes(value));

const listFromEnv = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);

/** "UTC", the default, is answered without Intl: its first formatter maps 6 MB of ICU's data (src/mail/mail-times.ts). */
function isTimeZone(zone: string): boolean {
  if (zone === "UTC") return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function intInRange(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}
/** The kinds of sign-in mail: a code, a link, or both in one mail. Defined here once. */
export const PASSWORDLESS_TYPES = ["OTP", "LINK", "LINK_OTP"] as const;

export const rawSchema = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"])
    .default("development")
    .describe(
      "development, production or test. production refuses to start without SECRET_KEY, SMTP_URL and an https PUBLIC_URL, and turns on Secure `__Host-` cookies and HSTS",
    ),
  HOST: z
    .string()
    .min(1)
    .default("0.0.0.0")
    .describe("the address the server listens on; 127.0.0.1 keeps it to this machine"),
  PORT: intInRange(0, 65535).default(8000).describe("the TCP port the server listens on (0: any free port)"),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "the address users see (https in production); links, cookies, the token issuer and CSRF origin checks come from it, never from the Host header. Default http://localhost:PORT",
    ),
  TRUST_PROXY: z
    .string()
    .optional()
    .describe(
      "unset: forwarded headers are ignored and the TCP peer is the client. Proxy addresses or CIDRs (10.0.0.0/8,fd00::/8) or a hop count (1): the right-most untrusted X-Forwarded-For entry is the client",
    ),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("pino log level of the JSON lines on stdout"),
  APP_NAME: z
    .string()
    .trim()
    .min(1)
    .max(60)
    // It reaches mail headers, page titles and authenticators: one line of printable text.
    .refine((name) => !CONTROL_CHARACTERS.test(name), "must not contain control characters (CR, LF, tab…)")
    .default("Latchkey")
    .describe("the product name people see in pages, page titles, mail and on their authenticators"),
  APP_LOGO_URL: z
    .url({ protocol: /^https?$/ })
    // Its origin goes into the pages' Content-Security-Policy: a host name, nothing else.
    .refine(
      (value) => !/^https?:/i.test(value) || /^https?:\/\/[a-z0-9.-]+(:\d+)?$/i.test(new URL(value).origin),
      {
        error: "must be an http(s) address on a plain host name",
      },
    )
    .optional()
    .describe(
      "an absolute http(s) address of the logo shown on pages and in mail (about 48 px high); none: the name alone",
    ),
  APP_ACCENT_COLOR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { error: "must be a colour like #4f46e5" })
    .optional()
    .describe(
      "the accent colour of buttons and links in pages and mail, as #rrggbb; none: Latchkey's indigo",
    ),
  SUPPORT_EMAIL: z
    .email()
    .optional()
    .describe('the address mail and pages name for "didn\'t ask for this?" and help; none: no support line'),
  DATA_DIR: z
    .string()
    .default(DEFAULT_DATA_DIR)
    .describe(
      "folder of the default SQLite file, of the generated development SECRET_KEY and of the compile cache (`.compile-cache`, Node.js 22.1+)",
    ),
  SECRET_KEY: z
    .string()
    .optional()
    .describe(
      "at least 32 random bytes (openssl rand -base64 48), the same on every instance; every HMAC and encryption key is derived from it. Required in production; in development one is generated into DATA_DIR/secret.key",
    ),
  DATABASE_URL: z
    .string()
    .min(1)
    .optional()
    .describe(
      "sqlite:<file> (sqlite:///./app.db accepted) or postgres://user:password@host:5432/db. Default sqlite:DATA_DIR/latchkey.db",
    ),
  DATABASE_TIMEOUT_MS: intInRange(100, 60_000)
    .default(5000)
    .describe(
      "one query, including the wait for a pooled connection, gives up after this long, so a hung database gives 503s, not hung requests",
    ),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .optional()
    .describe(
      "redis:// or rediss:// URL; shares rate limits and revocations across instances. Unset: limits live in the database",
    ),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/)
    .default("latchkey:")
    .describe("key and channel prefix, so several deployments can share one Redis"),
  REDIS_TIMEOUT_MS: intInRange(50, 10_000)
    .default(500)
    .describe("a Redis command slower than this counts as an outage: limits fall back to the database"),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/ })
    .optional()
    .describe(
      "smtp://user:pass@host:587 (STARTTLS) or smtps://…:465; ?tls=off only for a local catcher. Unset in development: the dev mailbox at /dev/mailbox. Required in production with the builtin provider",
    ),
  MAIL_FROM: z
    .string()
    .min(3)
    .optional()
    .describe(
      "the From header of every mail: one address with an optional name, e.g. `Acme <no-reply@acme.example>` (quote a name with commas). Required in production, where a localhost sender is refused; default in development `APP_NAME <no-reply@localhost>`",
    ),
  MAIL_TEMPLATES_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      "a folder of mail templates that replace the built-in ones file by file (`sign-in.html.mustache`, or `de/sign-in.html.mustache` for one language); see docs/mail-templates.md",
    ),
  MAIL_CODE_IN_SUBJECT: booleanFromEnv
    .default(true)
    .describe(
      'put the one-time code in the subject ("Acme sign-in code 042137"); off: the subject names the request time instead',
    ),
  MAIL_TIME_ZONE: z
    .string()
    .default("UTC")
    .refine(isTimeZone, { error: "must be an IANA time zone such as Europe/Berlin" })
    .describe("the time zone of the times in mail (request time, expiry), e.g. Europe/Berlin"),
  DEV_MAILBOX_PUBLIC: booleanFromEnv
    .default(false)
    .describe(
      "development only: let any client (not just this machine) read /dev/mailbox and /dev/mail-preview, e.g. from a container's host. Refused in production",
    ),
  MAIL_MAX_ATTEMPTS: intInRange(1, 50)
    .default(8)
    .describe("delivery attempts (with exponential back-off) before a mail is marked failed"),
  JWT_SECRET: z
    .string()
    .optional()
    .describe(
      "set: access tokens are HS256, signed and verified with this shared secret (>= 32 bytes in production), and the JWKS is empty. Unset: EdDSA keys kept in the database and published at /.well-known/jwks.json",
    ),
  JWT_ISSUER: z.string().optional().describe("the iss claim of access tokens. Default PUBLIC_URL's origin"),
  JWT_AUDIENCE: z.string().default("latchkey").describe("the aud claim of access tokens"),
  JWT_CLOCK_SKEW_SECONDS: intInRange(0, 60)
    .default(30)
    .describe("tolerance for exp, nbf and a future iat when verifying tokens"),
  JWT_ALGORITHM: z
    .enum(["EdDSA", "ES256", "RS256"])
    .default("EdDSA")
    .describe(
      "access-token key pairs: EdDSA (Ed25519), ES256 (P-256) or RS256 (RSA 2048); ignored with JWT_SECRET",
    ),
  ACCESS_TOKEN_EMAIL_CLAIM: booleanFromEnv
    .default(false)
    .describe("put the user's address in access tokens as an `email` claim (off: tokens end up in logs)"),
  KEY_ROTATION_DAYS: intInRange(1, 365)
    .default(30)
    .describe("EdDSA signing keys rotate after this many days; the next key is published before it signs"),
  KEY_RELOAD_SECONDS: intInRange(1, 3600)
    .default(60)
    .describe("how often every instance re-reads the shared signing keys"),
  ACCESS_TOKEN_TTL: intInRange(60, 3600).default(900).describe("access token lifetime in seconds"),
  SESSION_IDLE_TIMEOUT: intInRange(300, 30 * 86400)
    .default(7 * 86400)
    .describe("seconds without a refresh after which a session can no longer refresh"),
  SESSION_ABSOLUTE_LIFETIME: intInRange(3600, 30 * 86400)
    .default(30 * 86400)
    .describe("seconds from sign-in after which a session ends, however active (30 days at most)"),
  REFRESH_REUSE_GRACE_SECONDS: intInRange(0, 120)
    .default(20)
    .describe(
      "a just-rotated refresh token still gets an access token this long (tabs refreshing together); later reuse ends the session",
    ),
  SESSION_CACHE_TTL_MS: intInRange(0, 5000)
    .default(1000)
    .describe(
      "how long an instance trusts its cached session state; the longest another instance may accept a revoked session when Redis is not configured",
    ),
  COOKIE_SECURE: booleanFromEnv
    .optional()
    .describe("Secure attribute on cookies. Default true in production or when PUBLIC_URL is https"),
  COOKIE_PREFIX: z
    .enum(["__Host-", "none"])
    .optional()
    .describe(
      "__Host- (default in production; the refresh cookie gets __Secure-) or none (default in development)",
    ),
  DOCS_PUBLIC: booleanFromEnv
    .optional()
    .describe("serve /docs and /openapi.json. Default: outside production only"),
  OTP_LENGTH: intInRange(6, 8).default(6).describe("digits in an emailed code"),
  CHALLENGE_TTL: intInRange(60, 600)
    .default(300)
    .describe("seconds a code and link stay valid; a client may ask for 60..600 per request with expires_in"),
  MAX_ATTEMPTS: intInRange(1, 10).default(5).describe("wrong codes per challenge before it is dead"),
  PASSWORDLESS_TYPE: z
    .enum(PASSWORDLESS_TYPES)
    .default("LINK_OTP")
    .describe("what the mail carries: OTP (a code), LINK (a magic link) or LINK_OTP (both)"),
  PASSWORDLESS_PROVIDER: z
    .enum(["builtin", "scalekit"])
    .default("builtin")
    .describe(
      "builtin: Latchkey creates, mails and checks the secrets. scalekit: Scalekit's hosted passwordless service does (see docs/scalekit.md)",
    ),
  ALLOWED_REDIRECT_ORIGINS: listFromEnv
    .default([])
    .describe(
      "comma-separated exact origins a client's magiclink_auth_uri may point to. Default PUBLIC_URL's origin plus CORS_ORIGINS",
    ),
  ALLOWED_REDIRECT_URIS: listFromEnv
    .default([])
    .describe(
      "comma-separated URL prefixes (origin plus path) a magiclink_auth_uri may point under, compared after parsing, on path-segment boundaries",
    ),
  PLACE_COUNTRY_HEADER: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/i)
    .optional()
    .describe(
      "request header in which the trusted proxy puts the client's country (e.g. cf-ipcountry); shown on the approval page. Ignored without TRUST_PROXY",
    ),
  PLACE_CITY_HEADER: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/i)
    .optional()
    .describe(
      "request header in which the trusted proxy puts the client's city. Ignored without TRUST_PROXY",
    ),
  CORS_ORIGINS: listFromEnv
    .default([])
    .describe("comma-separated exact origins allowed to call the API from a browser with credentials"),
  ALLOW_SIGNUP: booleanFromEnv
    .default(true)
    .describe(
      'false: only existing accounts can sign in; unknown addresses get the same answer and a "no account" mail',
    ),
  RATE_LIMITS: z
    .enum(["on", "off"])
    .default("on")
    .describe(
      "off switches off the per-IP and per-email windows (benchmarks only); the per-challenge attempt limit and the per-email failure budget always hold",
    ),
  SEND_COOLDOWN_SECONDS: intInRange(0, 3600)
    .default(30)
    .describe("minimum seconds between two mails to one address from one browser"),
  SENDS_PER_EMAIL_PER_HOUR: intInRange(1, 1000)
    .default(5)
    .describe("mails to one address per hour from one browser"),
  SEND_FLOOD_PER_EMAIL_PER_HOUR: intInRange(1, 10_000)
    .default(20)
    .describe(
      "mails to one address per hour from all browsers together (a browser that signed in to the account before keeps its own quota)",
    ),
  SENDS_PER_IP_PER_MINUTE: intInRange(1, 100_000)
    .default(20)
    .describe("sends and resends per client IP per minute"),
  VERIFIES_PER_IP_PER_MINUTE: intInRange(1, 100_000)
    .default(60)
    .describe(
      "verify-otp, verify-magic-link, approve-magic-link and complete-approval calls per client IP per minute",
    ),
  REFRESHES_PER_IP_PER_MINUTE: intInRange(1, 100_000)
    .default(120)
    .describe("refreshes per client IP per minute"),
  OUTBOX_MAX_PENDING: intInRange(10, 10_000_000)
    .default(10_000)
    .describe(
      "undelivered mails in the outbox, all addresses together; beyond it sends answer 429 rate_limited",
    ),
  CODE_FAILURES_PER_HOUR: intInRange(1, 100)
    .default(20)
    .describe(
      "wrong codes per address per hour, across all its challenges and IPs, before code entry pauses (links keep working)",
    ),
  CODE_FAILURES_HARD_STOP: intInRange(1, 100)
    .default(100)
    .describe(
      "wrong codes in a row per address that stop code entry until a sign-in by link (never below CODE_FAILURES_PER_HOUR)",
    ),
  AUDIT_RETENTION_DAYS: intInRange(1, 3650).default(90).describe("audit events older than this are deleted"),
  METRICS_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe(
      "bearer token that /metrics requires (at least 16 characters); unset and METRICS_PUBLIC=false: no /metrics route",
    ),
  METRICS_PUBLIC: booleanFromEnv
    .default(false)
    .describe("true: /metrics answers without a token (only on a private network)"),
  SCALEKIT_ENVIRONMENT_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .optional()
    .describe(
      "your Scalekit environment, e.g. https://acme.scalekit.com (https in production); required with PASSWORDLESS_PROVIDER=scalekit",
    ),
  SCALEKIT_CLIENT_ID: z
    .string()
    .min(1)
    .optional()
    .describe("Scalekit API client id; required with PASSWORDLESS_PROVIDER=scalekit"),
  SCALEKIT_CLIENT_SECRET: z
    .string()
    .min(1)
    .optional()
    .describe("Scalekit API client secret; required with PASSWORDLESS_PROVIDER=scalekit"),
  SCALEKIT_TIMEOUT_MS: intInRange(100, 60_000)
    .default(5000)
    .describe(
      "budget for one Scalekit call, retries included; past it the request answers 503 provider_unavailable",
    ),
  WEBAUTHN_RP_ID: z
    .string()
    .regex(/^[a-z0-9.-]{1,253}$/, "must be a lower-case host name")
    .optional()
    .describe(
      "the passkeys' relying-party id: PUBLIC_URL's host (default) or a parent domain, to share passkeys across subdomains",
    ),
  WEBAUTHN_RP_NAME: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe("the name authenticators show next to a passkey. Default APP_NAME"),
  WEBAUTHN_EXTRA_ORIGINS: listFromEnv
    .default([])
    .describe("exact origins besides PUBLIC_URL where passkey ceremonies may run"),
  STEP_UP_MAX_AGE_SECONDS: intInRange(60, 86400)
    .default(600)
    .describe("removing a passkey or signing out everywhere needs a sign-in at most this many seconds old"),
  MAIL_TRANSPORT: z
    .enum(["smtp", "postmark", "resend", "ses"])
    .optional()
    .describe("how mail leaves: smtp (SMTP_URL) or an HTTP provider; default smtp when SMTP_URL is set"),
  POSTMARK_SERVER_TOKEN: z.string().min(1).optional().describe("Postmark server API token"),
  RESEND_API_KEY: z.string().min(1).optional().describe("Resend API key"),
  MAIL_API_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("overrides the mail provider's API base URL (a proxy, or a local fake in tests)"),
  AWS_REGION: z.string().min(1).optional().describe("SES region (the AWS SDK's usual variable)"),
  AWS_ACCESS_KEY_ID: z
    .string()
    .min(1)
    .optional()
    .describe("SES credentials; unset: the AWS SDK's default chain"),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional().describe("SES credentials, with AWS_ACCESS_KEY_ID"),
  AWS_SESSION_TOKEN: z.string().min(1).optional().describe("SES temporary credentials"),
  ADMIN_RATE_LIMIT_PER_MINUTE: intInRange(1, 100_000)
    .default(300)
    .describe("admin API requests per client IP per minute"),
  ADMIN_SIGN_IN_LINKS: booleanFromEnv
    .default(false)
    .describe("lets the admin API mint one-time support sign-in links"),
  ADMIN_SIGN_IN_LINK_TTL: intInRange(60, 600)
    .default(300)
    .describe("lifetime of a support sign-in link, seconds"),
  WEBHOOK_ALLOW_PRIVATE_URLS: booleanFromEnv
    .default(false)
    .describe("lets webhooks reach loopback, private and link-local addresses (and http in production)"),
  WEBHOOK_RETRY_HOURS: intInRange(24, 24 * 14)
    .default(48)
    .describe("how long a webhook delivery is retried before it is marked failed"),
  WEBHOOK_DISABLE_AFTER_FAILURES: intInRange(1, 10_000)
    .default(20)
    .describe("consecutive failed deliveries, over at least WEBHOOK_RETRY_HOURS, that disable an endpoint"),
  WEBHOOK_SECRET_OVERLAP_HOURS: intInRange(0, 24 * 7)
    .default(24)
    .describe("after rotate-secret, how long the old secret still signs beside the new one"),
});

type RawConfig = z.infer<typeof rawSchema>;

export type Environment = RawConfig["NODE_ENV"];
export type PasswordlessType = RawConfig["PASSWORDLESS_TYPE"];

export interface DatabaseConfig {
  readonly dialect: "sqlite" | "postgres";
  /** For sqlite: a file path or `:memory:`. For postgres: the connection string. */
  readonly location: string;
  readonly timeoutMs: number;
}

export function parseDatabaseUrl(url: string): DatabaseConfig | undefined {
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: "postgres", location: url, timeoutMs: 5000 };
  const sqlite = /^sqlite:(?:\/\/\/?)?(.+)$/.exec(url);
  if (sqlite?.[1]) return { dialect: "sqlite", location: sqlite[1], timeoutMs: 5000 };
  return undefined;
}

export interface Config {
  readonly env: Environment;
  readonly isProduction: boolean;
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: URL;
    /** Number of trusted proxy hops or a list of trusted addresses; false ignores forwarded headers. */
    readonly trustProxy: false | number | string[];
    readonly bodyLimitBytes: number;
    readonly logLevel: RawConfig["LOG_LEVEL"];
    readonly dataDir: string;
    /** Serve /docs and /openapi.json: by default outside production only. */
    readonly isDocsPublic: boolean;
  };
  /** Root secret; every HMAC and encryption key is derived from it. Undefined only before run-server.ts fills it. */
  readonly secretKey: string | undefined;
  readonly database: DatabaseConfig;
  readonly redisUrl: string | undefined;
  /** Key and channel prefix (several deployments may share one Redis); command timeout. */
  readonly redis: { readonly keyPrefix: string; readonly commandTimeoutMs: number };
  readonly mail: {
    readonly smtpUrl: string | undefined;
    readonly from: string;
    readonly useDevMailbox: boolean;
    readonly maxAttempts: number;
    readonly maxPending: number;
    /** An operator's folder of templates that replace the built-in ones file by file. */
    readonly templatesDir: string | undefined;
    readonly codeInSubject: boolean;
    readonly timeZone: string;
    /** Development: the mailbox and previews answer every client, not only loopback. */
    readonly devMailboxPublic: boolean;
  };
  readonly tokens: {
    readonly jwtSecret: string | undefined;
    readonly algorithm: RawConfig["JWT_ALGORITHM"];
    readonly includeEmailClaim: boolean;
    readonly issuer: string;
    readonly audience: string;
    readonly clockSkewSeconds: number;
    readonly keyRotationDays: number;
    /** How often every instance re-reads the shared signing keys (rotations made elsewhere). */
    readonly keyReloadSeconds: number;
    readonly accessTokenTtlSeconds: number;
  };
  readonly sessions: {
    readonly idleTimeoutSeconds: number;
    readonly absoluteLifetimeSeconds: number;
    readonly refreshReuseGraceSeconds: number;
    readonly cacheTtlMs: number;
    readonly secureCookies: boolean;
    /** Every cookie name Latchkey sets; the duplicate-cookie check refuses two of any of them. */
    readonly cookieNames: {
      readonly access: string;
      readonly refresh: string;
      readonly binding: string;
      /** The browser's device mark, beside the binding cookie. */
      readonly device: string;
      /** A passkey ceremony's binding, under /api/auth/passkeys. */
      readonly passkeyCeremony: string;
    };
  };
  readonly passwordless: {
    readonly provider: RawConfig["PASSWORDLESS_PROVIDER"];
    readonly type: PasswordlessType;
    readonly otpLength: number;
    readonly challengeTtlSeconds: number;
    readonly maxAttempts: number;
    readonly allowSignup: boolean;
    /** Exact origins (scheme://host:port) a magic link may point to. */
    readonly allowedRedirectOrigins: readonly string[];
    /** URL prefixes (origin plus path) a magic link may point under, besides those origins. */
    readonly allowedRedirectPrefixes: readonly URL[];
    /** Request headers a trusted proxy fills with the client's country and city; lower-case. */
    readonly placeHeaders: { readonly country: string | undefined; readonly city: string | undefined };
  };
  readonly limits: {
    readonly enabled: boolean;
    readonly sendCooldownSeconds: number;
    readonly sendsPerEmailPerHour: number;
    /** Sends per address per hour from all browsers without a device cookie together. */
    readonly sendFloodPerEmailPerHour: number;
    readonly sendsPerIpPerMinute: number;
    readonly verifiesPerIpPerMinute: number;
    readonly refreshesPerIpPerMinute: number;
    readonly codeFailuresPerHour: number;
    readonly codeFailuresHardStop: number;
  };
  readonly corsOrigins: readonly string[];
  readonly auditRetentionDays: number;
  readonly metrics: { readonly token: string | undefined; readonly isPublic: boolean };
  readonly mailProvider: {
    readonly transport: "smtp" | "postmark" | "resend" | "ses" | undefined;
    readonly postmarkServerToken: string | undefined;
    readonly resendApiKey: string | undefined;
    readonly apiUrl: string | undefined;
    readonly ses: {
      readonly region: string | undefined;
      readonly accessKeyId: string | undefined;
      readonly secretAccessKey: string | undefined;
      readonly sessionToken: string | undefined;
    };
  };
  readonly admin: {
    readonly requestsPerIpPerMinute: number;
    readonly signInLinksEnabled: boolean;
    readonly signInLinkTtlSeconds: number;
  };
  readonly webhooks: {
    readonly allowPrivateUrls: boolean;
    readonly retryWindowMs: number;
    readonly disableAfterFailures: number;
    readonly secretOverlapMs: number;
  };
  readonly scalekit:
    | {
        readonly environmentUrl: string;
        readonly clientId: string;
        readonly clientSecret: string;
        readonly timeoutMs: number;
      }
    | undefined;
  /** Passkeys: the relying party (a registrable suffix of PUBLIC_URL's host) and the exact origins allowed. */
  readonly webauthn: { readonly rpId: string; readonly rpName: string; readonly origins: readonly string[] };
  /** What pages and mail call the product, and how they look. */
  readonly branding: {
    readonly appName: string;
    readonly logoUrl: string | undefined;
    readonly accentColor: string | undefined;
    readonly supportEmail: string | undefined;
  };
  /** Removing a passkey or signing out everywhere needs a sign-in at most this old. */
  readonly stepUpMaxAgeSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function parseTrustProxy(value: string | undefined): false | number | string[] {
  if (value === undefined || value === "" || value === "false" || value === "0") return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === "true") return 1;
  return value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    if (url.username || url.password) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** `ALLOWED_REDIRECT_URIS` entries: absolute http(s) URLs without userinfo, query or fragment. */
function resolvePrefixes(values: string[], problems: string[]): URL[] {
  return values.flatMap((value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    const isPlain = url && /^https?:$/.test(url.protocol) && !url.username && !url.password;
    if (url && isPlain && !url.search && !url.hash) return [url];
    problems.push(`ALLOWED_REDIRECT_URIS: "${value}" is not an http(s) URL prefix`);
    return [];
  });
}

function problemsFromZod(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`);
}

function checkSecretKey(raw: RawConfig, problems: string[]) {
  if (raw.SECRET_KEY === undefined) {
    if (raw.NODE_ENV === "production") problems.push("SECRET_KEY: required in production (>= 32 bytes)");
    return;
  }
  if (Buffer.byteLength(raw.SECRET_KEY) < 32) problems.push("SECRET_KEY: must be at least 32 bytes");
  if (PLACEHOLDER_SECRETS.has(raw.SECRET_KEY.toLowerCase()))
    problems.push("SECRET_KEY: is a placeholder value");
}

function checkJwtSecret(raw: RawConfig, problems: string[]) {
  if (raw.JWT_SECRET === undefined) return;
  const isWeak =
    Buffer.byteLength(raw.JWT_SECRET) < 32 || PLACEHOLDER_SECRETS.has(raw.JWT_SECRET.toLowerCase());
  if (isWeak && raw.NODE_ENV === "production")
    problems.push("JWT_SECRET: must be at least 32 bytes and not a placeholder in production");
}

function checkProduction(raw: RawConfig, problems: string[]) {
  if (raw.NODE_ENV !== "production") return;
  // With Scalekit, Scalekit sends the mail; Latchkey's own outbox stays empty.
  if (!raw.SMTP_URL && !raw.MAIL_TRANSPORT && raw.PASSWORDLESS_PROVIDER === "builtin")
    problems.push("SMTP_URL: required in production (or MAIL_TRANSPORT=postmark|resend|ses)");
  if (!raw.PUBLIC_URL) problems.push("PUBLIC_URL: required in production");
  else if (!raw.PUBLIC_URL.startsWith("https://")) problems.push("PUBLIC_URL: must use https in production");
  if (raw.DEV_MAILBOX_PUBLIC)
    problems.push("DEV_MAILBOX_PUBLIC: the dev mailbox does not exist in production");
  if (raw.PASSWORDLESS_PROVIDER !== "builtin") return;
  if (!raw.MAIL_FROM) problems.push("MAIL_FROM: required in production, e.g. `Acme <no-reply@acme.example>`");
  else if (/@localhost\b|@[^>]*\.localhost\b/i.test(raw.MAIL_FROM))
    problems.push("MAIL_FROM: a localhost sender is refused in production; use your domain");
}

function checkScalekit(raw: RawConfig, problems: string[]) {
  if (raw.PASSWORDLESS_PROVIDER !== "scalekit") return;
  for (const name of ["SCALEKIT_ENVIRONMENT_URL", "SCALEKIT_CLIENT_ID", "SCALEKIT_CLIENT_SECRET"] as const) {
    if (!raw[name]) problems.push(`${name}: required when PASSWORDLESS_PROVIDER=scalekit`);
  }
  if (raw.NODE_ENV === "production" && raw.SCALEKIT_ENVIRONMENT_URL?.startsWith("http://"))
    problems.push("SCALEKIT_ENVIRONMENT_URL: must use https in production");
  if (raw.OTP_LENGTH !== 6) problems.push("OTP_LENGTH: must be 6 with PASSWORDLESS_PROVIDER=scalekit");
}

/** MAIL_FROM is parsed once here, so a sender no mail could carry stops the start, not the first mail. */
function checkMailFrom(raw: RawConfig, problems: string[]) {
  if (raw.MAIL_FROM === undefined) return;
  try {
    parseSender(raw.MAIL_FROM);
  } catch {
    problems.push(
      'MAIL_FROM: must be one address, optionally with a name, e.g. `Acme <no-reply@acme.example>` (quote a name holding commas: `"Acme, Inc." <no-reply@acme.example>`)',
    );
  }
}

/** The development sender, named after the product; a name with commas or quotes is quoted so it stays one mailbox. */
function developmentSender(appName: string): string {
  const name = /^[\w!#$%&'*+/=?^`{|}~ -]+$/.test(appName)
    ? appName
    : `"${appName.replace(/["\\]/g, "\\$&")}"`;
  return `${name} <no-reply@localhost>`;
}

function checkMailTransport(raw: RawConfig, problems: string[]) {
  const needs = {
    smtp: "SMTP_URL",
    postmark: "POSTMARK_SERVER_TOKEN",
    resend: "RESEND_API_KEY",
    ses: "AWS_REGION",
  } as const;
  const variable = raw.MAIL_TRANSPORT && needs[raw.MAIL_TRANSPORT];
  if (variable && !raw[variable])
    problems.push(`${variable}: required when MAIL_TRANSPORT=${raw.MAIL_TRANSPORT}`);
}

function resolveOrigins(name: string, values: string[], problems: string[]): string[] {
  const origins: string[] = [];
  for (const value of values) {
    const origin = normalizeOrigin(value);
    if (origin) origins.push(origin);
    else problems.push(`${name}: "${value}" is not an http(s) origin`);
  }
  return origins;
}

/** The RP id must be PUBLIC_URL's host or a parent domain of it, or no browser will use it. */
function resolveWebauthn(raw: RawConfig, publicUrl: URL, problems: string[]): Config["webauthn"] {
  const host = publicUrl.hostname;
  const rpId = raw.WEBAUTHN_RP_ID ?? host;
  if (rpId !== host && !host.endsWith(`.${rpId}`))
    problems.push(`WEBAUTHN_RP_ID: "${rpId}" must be PUBLIC_URL's host or a parent domain of it`);
  const extra = resolveOrigins("WEBAUTHN_EXTRA_ORIGINS", raw.WEBAUTHN_EXTRA_ORIGINS, problems);
  return {
    rpId,
    rpName: raw.WEBAUTHN_RP_NAME ?? raw.APP_NAME,
    origins: [...new Set([publicUrl.origin, ...extra])],
  };
}

function build(raw: RawConfig, problems: string[]): Config {
  const isProduction = raw.NODE_ENV === "production";
  const publicUrl = new URL(raw.PUBLIC_URL ?? `http://localhost:${raw.PORT || 8000}`);
  const databaseUrl = raw.DATABASE_URL ?? `sqlite:${raw.DATA_DIR.replace(/\/$/, "")}/latchkey.db`;
  const database = parseDatabaseUrl(databaseUrl);
  if (!database) problems.push("DATABASE_URL: must start with sqlite: or postgres://");
  const corsOrigins = resolveOrigins("CORS_ORIGINS", raw.CORS_ORIGINS, problems);
  const redirectOrigins = resolveOrigins("ALLOWED_REDIRECT_ORIGINS", raw.ALLOWED_REDIRECT_ORIGINS, problems);
  const allowedRedirectOrigins = [
    ...new Set(redirectOrigins.length > 0 ? redirectOrigins : [publicUrl.origin, ...corsOrigins]),
  ];
  const secureCookies = raw.COOKIE_SECURE ?? (isProduction || publicUrl.protocol === "https:");
  const usePrefix = (raw.COOKIE_PREFIX ?? (isProduction ? "__Host-" : "none")) === "__Host-";
  if (usePrefix && !secureCookies) problems.push("COOKIE_PREFIX: __Host- cookies need Secure (https)");
  const prefix = usePrefix ? "__Host-" : "";
  const useDevMailbox = !raw.SMTP_URL && !raw.MAIL_TRANSPORT && !isProduction;
  if (raw.SESSION_IDLE_TIMEOUT > raw.SESSION_ABSOLUTE_LIFETIME)
    problems.push("SESSION_IDLE_TIMEOUT: must not exceed SESSION_ABSOLUTE_LIFETIME");
  const scalekit =
    raw.SCALEKIT_ENVIRONMENT_URL && raw.SCALEKIT_CLIENT_ID && raw.SCALEKIT_CLIENT_SECRET
      ? {
          environmentUrl: raw.SCALEKIT_ENVIRONMENT_URL,
          clientId: raw.SCALEKIT_CLIENT_ID,
          clientSecret: raw.SCALEKIT_CLIENT_SECRET,
          timeoutMs: raw.SCALEKIT_TIMEOUT_MS,
        }
      : undefined;
  return {
    env: raw.NODE_ENV,
    isProduction,
    server: {
      host: raw.HOST,
      port: raw.PORT,
      publicUrl,
      trustProxy: parseTrustProxy(raw.TRUST_PROXY),
      bodyLimitBytes: 16 * 1024,
      logLevel: raw.LOG_LEVEL,
      dataDir: raw.DATA_DIR,
      isDocsPublic: raw.DOCS_PUBLIC ?? !isProduction,
    },
    secretKey: raw.SECRET_KEY,
    database: {
      ...(database ?? { dialect: "sqlite", location: ":memory:" }),
      timeoutMs: raw.DATABASE_TIMEOUT_MS,
    },
    redisUrl: raw.REDIS_URL,
    redis: { keyPrefix: raw.REDIS_KEY_PREFIX, commandTimeoutMs: raw.REDIS_TIMEOUT_MS },
    mail: {
      smtpUrl: raw.SMTP_URL,
      from: raw.MAIL_FROM ?? developmentSender(raw.APP_NAME),
      useDevMailbox,
      maxAttempts: raw.MAIL_MAX_ATTEMPTS,
      maxPending: raw.OUTBOX_MAX_PENDING,
      templatesDir: raw.MAIL_TEMPLATES_DIR,
      codeInSubject: raw.MAIL_CODE_IN_SUBJECT,
      timeZone: raw.MAIL_TIME_ZONE,
      devMailboxPublic: raw.DEV_MAILBOX_PUBLIC,
    },
    tokens: {
      jwtSecret: raw.JWT_SECRET,
      algorithm: raw.JWT_ALGORITHM,
      includeEmailClaim: raw.ACCESS_TOKEN_EMAIL_CLAIM,
      issuer: raw.JWT_ISSUER ?? publicUrl.origin,
      audience: raw.JWT_AUDIENCE,
      clockSkewSeconds: raw.JWT_CLOCK_SKEW_SECONDS,
      keyRotationDays: raw.KEY_ROTATION_DAYS,
      keyReloadSeconds: raw.KEY_RELOAD_SECONDS,
      accessTokenTtlSeconds: raw.ACCESS_TOKEN_TTL,
    },
    sessions: {
      idleTimeoutSeconds: raw.SESSION_IDLE_TIMEOUT,
      absoluteLifetimeSeconds: raw.SESSION_ABSOLUTE_LIFETIME,
      refreshReuseGraceSeconds: raw.REFRESH_REUSE_GRACE_SECONDS,
      cacheTtlMs: raw.SESSION_CACHE_TTL_MS,
      secureCookies,
      // `__Host-` requires Path=/: the refresh and binding cookies live under /api/auth, so `__Secure-`.
      cookieNames: {
        access: `${prefix}access_token`,
        refresh: `${prefix.replace("Host", "Secure")}refresh_token`,
        binding: `${prefix.replace("Host", "Secure")}lk_binding`,
        device: `${prefix.replace("Host", "Secure")}lk_device`,
        passkeyCeremony: `${prefix.replace("Host", "Secure")}lk_passkey`,
      },
    },
    passwordless: {
      provider: raw.PASSWORDLESS_PROVIDER,
      type: raw.PASSWORDLESS_TYPE,
      otpLength: raw.OTP_LENGTH,
      challengeTtlSeconds: raw.CHALLENGE_TTL,
      maxAttempts: raw.MAX_ATTEMPTS,
      allowSignup: raw.ALLOW_SIGNUP,
      allowedRedirectOrigins,
      allowedRedirectPrefixes: resolvePrefixes(raw.ALLOWED_REDIRECT_URIS, problems),
      // Only a trusted proxy can vouch for these headers; without one they are ignored.
      placeHeaders:
        parseTrustProxy(raw.TRUST_PROXY) !== false
          ? { country: raw.PLACE_COUNTRY_HEADER?.toLowerCase(), city: raw.PLACE_CITY_HEADER?.toLowerCase() }
          : { country: undefined, city: undefined },
    },
    limits: {
      enabled: raw.RATE_LIMITS === "on",
      sendCooldownSeconds: raw.SEND_COOLDOWN_SECONDS,
      sendsPerEmailPerHour: raw.SENDS_PER_EMAIL_PER_HOUR,
      sendFloodPerEmailPerHour: raw.SEND_FLOOD_PER_EMAIL_PER_HOUR,
      sendsPerIpPerMinute: raw.SENDS_PER_IP_PER_MINUTE,
      verifiesPerIpPerMinute: raw.VERIFIES_PER_IP_PER_MINUTE,
      refreshesPerIpPerMinute: raw.REFRESHES_PER_IP_PER_MINUTE,
      codeFailuresPerHour: raw.CODE_FAILURES_PER_HOUR,
      codeFailuresHardStop: Math.max(raw.CODE_FAILURES_HARD_STOP, raw.CODE_FAILURES_PER_HOUR),
    },
    corsOrigins,
    auditRetentionDays: raw.AUDIT_RETENTION_DAYS,
    metrics: { token: raw.METRICS_TOKEN, isPublic: raw.METRICS_PUBLIC },
    mailProvider: {
      transport: raw.MAIL_TRANSPORT ?? (raw.SMTP_URL ? "smtp" : undefined),
      postmarkServerToken: raw.POSTMARK_SERVER_TOKEN,
      resendApiKey: raw.RESEND_API_KEY,
      apiUrl: raw.MAIL_API_URL,
      ses: {
        region: raw.AWS_REGION,
        accessKeyId: raw.AWS_ACCESS_KEY_ID,
        secretAccessKey: raw.AWS_SECRET_ACCESS_KEY,
        sessionToken: raw.AWS_SESSION_TOKEN,
      },
    },
    admin: {
      requestsPerIpPerMinute: raw.ADMIN_RATE_LIMIT_PER_MINUTE,
      signInLinksEnabled: raw.ADMIN_SIGN_IN_LINKS,
      signInLinkTtlSeconds: raw.ADMIN_SIGN_IN_LINK_TTL,
    },
    webhooks: {
      allowPrivateUrls: raw.WEBHOOK_ALLOW_PRIVATE_URLS,
      retryWindowMs: raw.WEBHOOK_RETRY_HOURS * 3_600_000,
      disableAfterFailures: raw.WEBHOOK_DISABLE_AFTER_FAILURES,
      secretOverlapMs: raw.WEBHOOK_SECRET_OVERLAP_HOURS * 3_600_000,
    },
    scalekit,
    webauthn: resolveWebauthn(raw, publicUrl, problems),
    branding: {
      appName: raw.APP_NAME,
      logoUrl: raw.APP_LOGO_URL,
      accentColor: raw.APP_ACCENT_COLOR?.toLowerCase(),
      supportEmail: raw.SUPPORT_EMAIL,
    },
    stepUpMaxAgeSeconds: raw.STEP_UP_MAX_AGE_SECONDS,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !(value instanceof URL) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Parses the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const { raw, problems: invalid } = parseRaw(defined);
  const problems: string[] = [];
  checkSecretKey(raw, problems);
  checkJwtSecret(raw, problems);
  checkProduction(raw, problems);
  checkMailTransport(raw, problems);
  checkMailFrom(raw, problems);
  checkScalekit(raw, problems);
  const config = build(raw, problems);
  const invalidNames = new Set(invalid.map(variableOf));
  const allProblems = [...invalid, ...problems.filter((problem) => !invalidNames.has(variableOf(problem)))];
  if (allProblems.length > 0) throw new ConfigError(allProblems);
  return deepFreeze(config);
}

/**
 * Validates each variable; the invalid ones are reported and then left out (their defaults
 * stand in), so the cross-field and production checks still run and every problem is named
 * in one pass. A problem about an invalid variable is reported once.
 */
function parseRaw(defined: Record<string, string | undefined>): { raw: RawConfig; problems: string[] } {
  const parsed = rawSchema.safeParse(defined);
  if (parsed.success) return { raw: parsed.data, problems: [] };
  const problems = problemsFromZod(parsed.error);
  const invalidNames = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const valid = Object.fromEntries(Object.entries(defined).filter(([name]) => !invalidNames.has(name)));
  const withDefaults = rawSchema.safeParse(valid);
  if (!withDefaults.success) throw new ConfigError(problems);
  return { raw: withDefaults.data, problems };
}

function variableOf(problem: string): string {
  return problem.slice(0, problem.indexOf(":"));
}

/** A copy of the config with the root secret filled in (run-server.ts resolves it). */
export function withSecretKey(config: Config, secretKey: string): Config {
  return deepFreeze({ ...config, secretKey });
}
