import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { z } from "zod";

/**
 * Environment → typed, frozen Config. The only module that reads `process.env`.
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

function intInRange(min: number, max: number) {
  return z.coerce.number().int().min(min).max(max);
}

const rawSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: intInRange(0, 65535).default(8000),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  TRUST_PROXY: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATA_DIR: z.string().default("./data"),
  SECRET_KEY: z.string().optional(),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_TIMEOUT_MS: intInRange(100, 60_000).default(5000),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/)
    .default("latchkey:"),
  REDIS_TIMEOUT_MS: intInRange(50, 10_000).default(500),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default("Latchkey <no-reply@localhost>"),
  MAIL_MAX_ATTEMPTS: intInRange(1, 50).default(8),
  JWT_SECRET: z.string().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().default("latchkey"),
  JWT_CLOCK_SKEW_SECONDS: intInRange(0, 60).default(30),
  KEY_ROTATION_DAYS: intInRange(1, 365).default(30),
  KEY_RELOAD_SECONDS: intInRange(1, 3600).default(60),
  ACCESS_TOKEN_TTL: intInRange(60, 3600).default(900),
  SESSION_IDLE_TIMEOUT: intInRange(300, 30 * 86400).default(7 * 86400),
  SESSION_ABSOLUTE_LIFETIME: intInRange(3600, 30 * 86400).default(30 * 86400),
  REFRESH_REUSE_GRACE_SECONDS: intInRange(0, 120).default(20),
  SESSION_CACHE_TTL_MS: intInRange(0, 5000).default(1000),
  COOKIE_SECURE: booleanFromEnv.optional(),
  COOKIE_PREFIX: z.enum(["__Host-", "none"]).optional(),
  OTP_LENGTH: intInRange(6, 8).default(6),
  CHALLENGE_TTL: intInRange(60, 600).default(300),
  MAX_ATTEMPTS: intInRange(1, 10).default(5),
  PASSWORDLESS_TYPE: z.enum(["OTP", "LINK", "LINK_OTP"]).default("LINK_OTP"),
  PASSWORDLESS_PROVIDER: z.enum(["builtin", "scalekit"]).default("builtin"),
  ALLOWED_REDIRECT_ORIGINS: listFromEnv.default([]),
  CORS_ORIGINS: listFromEnv.default([]),
  ALLOW_SIGNUP: booleanFromEnv.default(true),
  RATE_LIMITS: z.enum(["on", "off"]).default("on"),
  SEND_COOLDOWN_SECONDS: intInRange(0, 3600).default(30),
  SENDS_PER_EMAIL_PER_HOUR: intInRange(1, 1000).default(5),
  SENDS_PER_IP_PER_MINUTE: intInRange(1, 100_000).default(20),
  VERIFIES_PER_IP_PER_MINUTE: intInRange(1, 100_000).default(60),
  REFRESHES_PER_IP_PER_MINUTE: intInRange(1, 100_000).default(120),
  OUTBOX_MAX_PENDING: intInRange(10, 10_000_000).default(10_000),
  CODE_FAILURES_PER_HOUR: intInRange(1, 100).default(20),
  CODE_FAILURES_HARD_STOP: intInRange(1, 100).default(100),
  AUDIT_RETENTION_DAYS: intInRange(1, 3650).default(90),
  METRICS_TOKEN: z.string().min(16).optional(),
  METRICS_PUBLIC: booleanFromEnv.default(false),
  SCALEKIT_ENVIRONMENT_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  SCALEKIT_CLIENT_ID: z.string().min(1).optional(),
  SCALEKIT_CLIENT_SECRET: z.string().min(1).optional(),
  SCALEKIT_TIMEOUT_MS: intInRange(100, 60_000).default(5000),
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
  };
  /** Root secret; every HMAC and encryption key is derived from it. Undefined only before server.ts fills it. */
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
  };
  readonly tokens: {
    readonly jwtSecret: string | undefined;
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
    readonly cookieNames: { readonly access: string; readonly refresh: string; readonly binding: string };
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
  };
  readonly limits: {
    readonly enabled: boolean;
    readonly sendCooldownSeconds: number;
    readonly sendsPerEmailPerHour: number;
    readonly sendsPerIpPerMinute: number;
    readonly verifiesPerIpPerMinute: number;
    readonly refreshesPerIpPerMinute: number;
    readonly codeFailuresPerHour: number;
    readonly codeFailuresHardStop: number;
  };
  readonly corsOrigins: readonly string[];
  readonly auditRetentionDays: number;
  readonly metrics: { readonly token: string | undefined; readonly isPublic: boolean };
  readonly scalekit:
    | {
        readonly environmentUrl: string;
        readonly clientId: string;
        readonly clientSecret: string;
        readonly timeoutMs: number;
      }
    | undefined;
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
  if (!raw.SMTP_URL && raw.PASSWORDLESS_PROVIDER === "builtin")
    problems.push("SMTP_URL: required in production");
  if (!raw.PUBLIC_URL) problems.push("PUBLIC_URL: required in production");
  else if (!raw.PUBLIC_URL.startsWith("https://")) problems.push("PUBLIC_URL: must use https in production");
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

function resolveOrigins(name: string, values: string[], problems: string[]): string[] {
  const origins: string[] = [];
  for (const value of values) {
    const origin = normalizeOrigin(value);
    if (origin) origins.push(origin);
    else problems.push(`${name}: "${value}" is not an http(s) origin`);
  }
  return origins;
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
  const useDevMailbox = !raw.SMTP_URL && !isProduction;
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
      from: raw.MAIL_FROM,
      useDevMailbox,
      maxAttempts: raw.MAIL_MAX_ATTEMPTS,
      maxPending: raw.OUTBOX_MAX_PENDING,
    },
    tokens: {
      jwtSecret: raw.JWT_SECRET,
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
      cookieNames: {
        access: `${prefix}access_token`,
        refresh: `${prefix}refresh_token`,
        binding: `${prefix}lk_binding`,
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
    },
    limits: {
      enabled: raw.RATE_LIMITS === "on",
      sendCooldownSeconds: raw.SEND_COOLDOWN_SECONDS,
      sendsPerEmailPerHour: raw.SENDS_PER_EMAIL_PER_HOUR,
      sendsPerIpPerMinute: raw.SENDS_PER_IP_PER_MINUTE,
      verifiesPerIpPerMinute: raw.VERIFIES_PER_IP_PER_MINUTE,
      refreshesPerIpPerMinute: raw.REFRESHES_PER_IP_PER_MINUTE,
      codeFailuresPerHour: raw.CODE_FAILURES_PER_HOUR,
      codeFailuresHardStop: Math.max(raw.CODE_FAILURES_HARD_STOP, raw.CODE_FAILURES_PER_HOUR),
    },
    corsOrigins,
    auditRetentionDays: raw.AUDIT_RETENTION_DAYS,
    metrics: { token: raw.METRICS_TOKEN, isPublic: raw.METRICS_PUBLIC },
    scalekit,
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
  const parsed = rawSchema.safeParse(defined);
  if (!parsed.success) throw new ConfigError(problemsFromZod(parsed.error));
  const problems: string[] = [];
  checkSecretKey(parsed.data, problems);
  checkJwtSecret(parsed.data, problems);
  checkProduction(parsed.data, problems);
  checkScalekit(parsed.data, problems);
  const config = build(parsed.data, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

/** Reads `.env` (if present) under the real environment, which wins. */
export function readEnvironment(envFile = ".env"): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, "utf8")) : {};
  return { ...fromFile, ...process.env };
}

/** A copy of the config with the root secret filled in (server.ts resolves it). */
export function withSecretKey(config: Config, secretKey: string): Config {
  return deepFreeze({ ...config, secretKey });
}
