import { join } from "node:path";
import { createOperations, type Operations } from "./admin/index.js";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import type { DatabaseHandle } from "./db/database.js";
import { createLogger, type Logger, type LogStream } from "./http/logger.js";
import { createMetrics, isMetricsEnabled, type Metrics } from "./http/metrics.js";
import { createDevMailbox } from "./mail/dev-mailbox.js";
import { createOutbox, type Outbox } from "./mail/outbox.js";
import { createConfiguredTransport } from "./mail/providers.js";
import { createMailRenderer, type MailRenderer } from "./mail/templates.js";
import { createUnconfiguredTransport, type MailTransport, type MemoryMailbox } from "./mail/transports.js";
import { createMaintenance } from "./maintenance.js";
import { createOidcService, type OidcService, oidcUserData } from "./oidc/index.js";
import { createPasskeyService, type PasskeyService, passkeyUserData } from "./passkeys/index.js";
import {
  createBuiltinProvider,
  createPasswordlessService,
  loadScalekitProvider,
  type PasswordlessProvider,
  type PasswordlessService,
} from "./passwordless/index.js";
import { createRedisServices, type RedisServices } from "./redis/index.js";
import { type AuditLog, createAuditLog } from "./security/audit.js";
import { createCodeFailureBudget } from "./security/code-failure-budget.js";
import { createKeyring, type Keyring } from "./security/crypto.js";
import { createSqlRateLimitStore, type RateLimitStore } from "./security/rate-limit.js";
import { type AccessTokens, createAccessTokens } from "./sessions/access-tokens.js";
import {
  createLocalRevocationBus,
  createSessionCache,
  createSessionService,
  createSigningKeys,
  type RevocationBus,
  type SessionService,
  type SigningKeys,
} from "./sessions/index.js";
import { createUserService, type UserService } from "./users/index.js";
import type { Resolver } from "./webhooks/index.js";

export interface ServiceDependencies {
  /** Open and migrated; the caller closes it after `services.close()`. */
  database: DatabaseHandle;
  clock?: Clock;
  /** Where mail goes; default: SMTP_URL, or the dev mailbox outside production. */
  mailTransport?: MailTransport;
  rateLimitStore?: RateLimitStore;
  revocationBus?: RevocationBus;
  provider?: PasswordlessProvider;
  /** Where log lines go (one JSON object per line); default stdout. Tests capture it to prove redaction. */
  logStream?: LogStream;
  /** Overrides the outbox's (and the webhook queue's) idle poll interval. */
  outboxPollIntervalMs?: number;
  /** DNS for webhook deliveries (tests prove names resolving inward are refused). */
  webhookResolver?: Resolver;
}

/** Everything Latchkey is made of except HTTP: the server, the CLI and the tests build it here. */
export interface Services {
  readonly config: Config;
  readonly clock: Clock;
  readonly database: DatabaseHandle;
  readonly log: Logger;
  readonly keyring: Keyring;
  readonly audit: AuditLog;
  readonly limits: RateLimitStore;
  readonly metrics: Metrics | undefined;
  readonly outbox: Outbox;
  readonly keys: SigningKeys;
  readonly accessTokens: AccessTokens;
  readonly sessions: SessionService;
  readonly passwordless: PasswordlessService;
  readonly passkeys: PasskeyService;
  /** The OpenID Provider: clients, grants, interactions, its own RS256 keys. */
  readonly oidc: OidcService;
  /** Admin keys and service, the per-user data registry, and webhooks (fed from the audit log). */
  readonly operations: Operations;
  /** Accounts: sign-in by verified email, the stored language. */
  readonly users: UserService;
  /** Renders the mail templates (the outbox, and the dev preview pages). */
  readonly mailRenderer: MailRenderer;
  /** The in-memory mailbox served at /dev/mailbox, when mail goes there. */
  readonly devMailbox: MemoryMailbox | undefined;
  /** Makes sure a signing key exists (creating the first one), then starts the background work when asked. */
  start(options?: { runBackgroundJobs?: boolean }): Promise<void>;
  /** Stops background work and closes what was opened (mail, Redis); the database stays open. */
  close(): Promise<void>;
}

/** Builds a value on first use, once. */
function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/** PASSWORDLESS_PROVIDER picks the engine; loadConfig has already required the Scalekit variables. */
async function chooseProvider(config: Config, keyring: Keyring): Promise<PasswordlessProvider> {
  if (config.passwordless.provider === "scalekit") {
    if (!config.scalekit) throw new Error("PASSWORDLESS_PROVIDER=scalekit needs the SCALEKIT_* variables");
    return loadScalekitProvider(config.scalekit);
  }
  return createBuiltinProvider({
    codeKey: keyring.codeKey,
    linkKey: keyring.linkKey,
    otpLength: config.passwordless.otpLength,
  });
}

/**
 * The composition root. Each service is built on first use, so a CLI command opens only
 * what it touches: `keys list` reads the database and never connects to Redis or SMTP.
 * Nothing here listens, and nothing writes until `start()`.
 */
export async function createServices(config: Config, deps: ServiceDependencies): Promise<Services> {
  if (!config.secretKey) throw new Error("config.secretKey must be resolved before building the services");
  const clock = deps.clock ?? systemClock;
  const { database } = deps;
  const { db } = database;
  const log = createLogger(config, deps.logStream);
  const keyring = createKeyring(config.secretKey);
  const provider = deps.provider ?? (await chooseProvider(config, keyring));
  const built = new Set<string>();
  const track = <T>(name: string, make: () => T) =>
    lazy(() => {
      const made = make();
      built.add(name);
      return made;
    });

  const mail = track("mail", () => {
    if (deps.mailTransport) return { transport: deps.mailTransport, devMailbox: undefined };
    const configured = createConfiguredTransport(config);
    if (configured) return { transport: configured };
    if (config.isProduction) return { transport: createUnconfiguredTransport() };
    if (config.server.publicUrl.protocol === "https:") {
      // An https PUBLIC_URL is a real deployment that forgot NODE_ENV=production.
      throw new Error(
        "PUBLIC_URL is https but SMTP_URL is not set: the dev mailbox is for local development only",
      );
    }
    const devMailbox = createDevMailbox(log, { file: join(config.server.dataDir, "dev-mailbox.json") });
    return { transport: devMailbox, devMailbox };
  });
  const audit = lazy(() => createAuditLog({ db, clock }));
  const users = lazy(() => createUserService({ clock, allowSignup: config.passwordless.allowSignup }));
  const mailRenderer = lazy(() => {
    const renderer = createMailRenderer(
      {
        ...config.branding,
        publicUrl: config.server.publicUrl,
        timeZone: config.mail.timeZone,
        codeInSubject: config.mail.codeInSubject,
        templatesDir: config.mail.templatesDir,
      },
      () => clock.now(),
    );
    // A broken template override fails here, at startup, not in every outgoing mail.
    renderer.check();
    return renderer;
  });
  const sqlLimits = lazy(() => createSqlRateLimitStore(db));
  // With REDIS_URL: limits shared in Redis (the SQL store as fallback) and cross-instance revocation.
  const redis = track("redis", (): RedisServices | undefined =>
    config.redisUrl
      ? createRedisServices({
          url: config.redisUrl,
          keyPrefix: config.redis.keyPrefix,
          commandTimeoutMs: config.redis.commandTimeoutMs,
          fallbackLimits: sqlLimits(),
          log,
        })
      : undefined,
  );
  const limits = lazy(() => deps.rateLimitStore ?? redis()?.limits ?? sqlLimits());
  const revocations = track(
    "revocations",
    () => deps.revocationBus ?? redis()?.revocations ?? createLocalRevocationBus(),
  );
  const metrics = lazy((): Metrics | undefined =>
    isMetricsEnabled(config)
      ? createMetrics({
          readOutboxStatus: () => outbox().status(),
          rateLimitMode: !deps.rateLimitStore ? redis()?.limits.mode : undefined,
          now: () => clock.now(),
        })
      : undefined,
  );
  const outbox = track(
    "outbox",
    (): Outbox =>
      createOutbox({
        db,
        dialect: database.dialect,
        clock,
        outboxKey: keyring.outboxKey,
        emailKey: keyring.emailKey,
        transport: mail().transport,
        audit: audit(),
        log,
        maxAttempts: config.mail.maxAttempts,
        maxPending: config.mail.maxPending,
        renderer: mailRenderer(),
        storedLocaleFor: (email) => users().storedLocaleByEmail(db, email),
        pollIntervalMs: deps.outboxPollIntervalMs,
        onDelivered: metrics()?.recordMailDelivery,
      }),
  );
  const keys = lazy(() =>
    createSigningKeys({
      db,
      clock,
      encryptionKey: keyring.signingKeyEncryptionKey,
      jwtSecret: config.tokens.jwtSecret,
      algorithm: config.tokens.algorithm,
      rotationDays: config.tokens.keyRotationDays,
      // An instance that has not reloaded yet signs with the old key for up to keyReloadSeconds.
      retiredKeyLifetimeMs:
        (config.tokens.accessTokenTtlSeconds +
          config.tokens.clockSkewSeconds +
          config.tokens.keyReloadSeconds) *
        1000,
      // Every instance and the JWKS's HTTP caches (max-age 300 s) hold the next key before it signs.
      prepublishMs: (config.tokens.keyReloadSeconds + 600) * 1000,
    }),
  );
  const accessTokens = lazy(() =>
    createAccessTokens({
      keys: keys(),
      clock,
      issuer: config.tokens.issuer,
      audience: config.tokens.audience,
      ttlSeconds: config.tokens.accessTokenTtlSeconds,
      clockSkewSeconds: config.tokens.clockSkewSeconds,
      includeEmail: config.tokens.includeEmailClaim,
    }),
  );
  const sessions = lazy(() =>
    createSessionService({
      db,
      clock,
      refreshKey: keyring.refreshKey,
      accessTokens: accessTokens(),
      cache: createSessionCache({ ttlMs: config.sessions.cacheTtlMs }),
      revocations: revocations(),
      audit: audit(),
      settings: config.sessions,
    }),
  );
  const passwordless = lazy(() =>
    createPasswordlessService({
      db,
      clock,
      provider,
      outbox: outbox(),
      users: users(),
      sessions: sessions(),
      audit: audit(),
      limits: limits(),
      budget: createCodeFailureBudget({
        db,
        perHour: config.limits.codeFailuresPerHour,
        hardStop: config.limits.codeFailuresHardStop,
        isOtpOnly: config.passwordless.type === "OTP",
      }),
      emailKey: keyring.emailKey,
      bindingKey: keyring.bindingKey,
      config,
    }),
  );
  const passkeys = lazy(() =>
    createPasskeyService({
      db,
      clock,
      sessions: sessions(),
      audit: audit(),
      ceremonyKey: keyring.passkeyCeremonyKey,
      config,
    }),
  );
  const oidc = track("oidc", () =>
    createOidcService({
      db,
      clock,
      config,
      accessTokenKeys: keys(),
      sessions: sessions(),
      audit: audit(),
      log,
    }),
  );
  const operations = track("operations", () => {
    const made = createOperations({
      database,
      clock,
      audit: audit(),
      log,
      keyring,
      config,
      sessions: sessions(),
      passwordless: passwordless(),
      pollIntervalMs: deps.outboxPollIntervalMs,
      webhookResolver: deps.webhookResolver,
    });
    // Deleting a user erases what the other features keep about them too.
    made.userData.register(passkeyUserData);
    made.userData.register(oidcUserData);
    return made;
  });
  const maintenance = track("maintenance", () =>
    createMaintenance({ log, keys: keys(), outbox: outbox(), audit: audit(), db, clock, config }),
  );

  return {
    config,
    clock,
    database,
    log,
    keyring,
    get audit() {
      return audit();
    },
    get limits() {
      return limits();
    },
    get metrics() {
      return metrics();
    },
    get outbox() {
      return outbox();
    },
    get keys() {
      return keys();
    },
    get accessTokens() {
      return accessTokens();
    },
    get sessions() {
      return sessions();
    },
    get passwordless() {
      return passwordless();
    },
    get passkeys() {
      return passkeys();
    },
    get operations() {
      return operations();
    },
    get oidc() {
      return oidc();
    },
    get users() {
      return users();
    },
    get mailRenderer() {
      return mailRenderer();
    },
    get devMailbox() {
      return mail().devMailbox;
    },
    async start({ runBackgroundJobs = true } = {}) {
      await keys().ensureCurrent();
      // Subscribes the webhook outbox to the audit log before any event is recorded.
      operations();
      if (!runBackgroundJobs) return;
      outbox().start();
      oidc().start();
      operations().webhooks.start();
      maintenance().start();
    },
    async close() {
      if (built.has("maintenance")) maintenance().stop();
      if (built.has("oidc")) oidc().stop();
      if (built.has("outbox")) await outbox().stop();
      if (built.has("operations")) await operations().webhooks.stop();
      if (built.has("mail")) await mail().transport.close();
      if (built.has("revocations")) await revocations().close();
      if (built.has("redis")) await redis()?.close();
    },
  };
}
