import fastifyCookie from "@fastify/cookie";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import type { DatabaseHandle } from "./db/database.js";
import { AppError, handleError } from "./errors.js";
import { registerCors } from "./http/cors.js";
import { healthRoutes } from "./http/health-routes.js";
import { trackRouteMethods } from "./http/method-not-allowed.js";
import { createMetrics, isMetricsEnabled, metricsPlugin } from "./http/metrics.js";
import {
  createRequestIdGenerator,
  DOCS_CONTENT_SECURITY_POLICY,
  registerSecurityHeaders,
} from "./http/security-headers.js";
import { findWebRoot, registerWebUi, type WebUi } from "./http/web-ui.js";
import { createDevMailbox, devMailboxRoutes } from "./mail/dev-mailbox.js";
import { createOutbox, type Outbox } from "./mail/outbox.js";
import {
  createSmtpTransport,
  createUnconfiguredTransport,
  type MailTransport,
  type MemoryMailbox,
} from "./mail/transports.js";
import { createMaintenance } from "./maintenance.js";
import {
  createBuiltinProvider,
  createPasswordlessService,
  loadScalekitProvider,
  type PasswordlessProvider,
  type PasswordlessService,
  passwordlessRoutes,
} from "./passwordless/index.js";
import { createRedisServices } from "./redis/index.js";
import { type AuditLog, createAuditLog } from "./security/audit.js";
import { auditRoutes } from "./security/audit-routes.js";
import { trustProxyOption } from "./security/client-ip.js";
import { createCodeFailureBudget } from "./security/code-failure-budget.js";
import { createKeyring, type Keyring, randomId } from "./security/crypto.js";
import { csrfPlugin } from "./security/csrf.js";
import { createFrameworkErrorHandler } from "./security/framework-errors.js";
import { httpsOnlyPlugin } from "./security/https-only.js";
import { ipLimitPlugin } from "./security/ip-limit.js";
import { registerJsonLimits } from "./security/json-limits.js";
import { createSqlRateLimitStore, type RateLimitStore } from "./security/rate-limit.js";
import { createAccessTokens } from "./sessions/access-tokens.js";
import {
  createLocalRevocationBus,
  createSessionCache,
  createSessionService,
  createSigningKeys,
  currentUserPlugin,
  type RevocationBus,
  type SessionService,
  type SigningKeys,
  sessionRoutes,
} from "./sessions/index.js";
import { jwksRoutes } from "./sessions/jwks-routes.js";
import { createUserService } from "./users/index.js";

export interface AppDependencies {
  database: DatabaseHandle;
  clock?: Clock;
  /** Where mail goes; default: SMTP_URL, or the dev mailbox outside production. */
  mailTransport?: MailTransport;
  rateLimitStore?: RateLimitStore;
  revocationBus?: RevocationBus;
  provider?: PasswordlessProvider;
  /** Background work (outbox worker, key rotation, pruning); tests may drive it by hand. */
  runBackgroundJobs?: boolean;
  /** Where log lines go (one JSON object per line); default stdout. Tests capture it to prove redaction. */
  logStream?: { write(line: string): void };
  /** Overrides the outbox's idle poll interval. */
  outboxPollIntervalMs?: number;
}

/** What tests and the CLI reach into; routes get their services through plugin options. */
export interface Latchkey {
  config: Config;
  clock: Clock;
  database: DatabaseHandle;
  audit: AuditLog;
  outbox: Outbox;
  keys: SigningKeys;
  sessions: SessionService;
  passwordless: PasswordlessService;
  devMailbox: MemoryMailbox | undefined;
}

declare module "fastify" {
  interface FastifyInstance {
    latchkey: Latchkey;
  }
}

const API_PREFIX = "/api/auth";

function chooseTransport(
  config: Config,
  app: FastifyInstance,
): { transport: MailTransport; devMailbox?: MemoryMailbox } {
  if (config.mail.smtpUrl)
    return { transport: createSmtpTransport({ smtpUrl: config.mail.smtpUrl, from: config.mail.from }) };
  if (config.isProduction) return { transport: createUnconfiguredTransport() };
  const devMailbox = createDevMailbox(app.log);
  return { transport: devMailbox, devMailbox };
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

function createFastify(config: Config, logStream?: AppDependencies["logStream"]): FastifyInstance {
  const app = Fastify({
    logger: {
      level: config.server.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          'res.headers["set-cookie"]',
          "req.body",
          "*.code",
          "*.link_token",
          "*.refresh_token",
          "*.access_token",
        ],
        censor: "[redacted]",
      },
      serializers: {
        // The access log never holds a query string: magic-link tokens live there.
        req: (request) => ({
          method: request.method,
          url: typeof request.url === "string" ? request.url.split("?")[0] : request.url,
          remoteAddress: request.ip,
        }),
      },
    },
    genReqId: createRequestIdGenerator(randomId().slice(0, 8)),
    requestIdHeader: false,
    // Fastify ignores a bare hop count, so TRUST_PROXY=N becomes a trust function (SECURITY.md 35).
    trustProxy: trustProxyOption(config.server.trustProxy),
    bodyLimit: config.server.bodyLimitBytes,
    frameworkErrors: createFrameworkErrorHandler({ isProduction: config.isProduction }),
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
  });
  return app as unknown as FastifyInstance;
}

async function registerHttpBasics(app: FastifyInstance, config: Config) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  // Only JSON bodies: an HTML form (text/plain, urlencoded, multipart) cannot reach a handler.
  app.removeContentTypeParser(["text/plain"]);
  registerJsonLimits(app);
  registerSecurityHeaders(app, { isProduction: config.isProduction });
  app.addHook("onSend", async (request, reply) => {
    if (!reply.hasHeader("cache-control") && !request.url.startsWith("/assets/")) {
      reply.header("cache-control", "no-store");
    }
  });
  registerCors(app, config.corsOrigins);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Latchkey",
        version: "0.1.0",
        description:
          "Self-hosted passwordless authentication: email one-time codes and magic links, sessions with rotating refresh tokens.",
      },
      servers: [{ url: config.server.publicUrl.origin }],
      tags: [
        { name: "passwordless", description: "Start and finish a sign-in" },
        { name: "sessions", description: "Who is signed in; refresh, list, revoke" },
        { name: "security", description: "Audit events" },
        { name: "operations", description: "Health and readiness" },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: "/docs",
    staticCSP: true,
    uiConfig: { validatorUrl: null },
    // Swagger UI needs inline styles; nothing else on that page is loosened, and no API secret lives there.
    transformStaticCSP: () => DOCS_CONTENT_SECURITY_POLICY,
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}

function registerFallbacks(
  app: FastifyInstance,
  methods: ReturnType<typeof trackRouteMethods>,
  webUi: WebUi | undefined,
) {
  if (!webUi) {
    app.get("/", { schema: { hide: true } }, async () => ({
      name: "Latchkey",
      message: "Passwordless authentication server. API docs at /docs; build the UI with `npm run build`.",
      docs: "/docs",
      openapi: "/openapi.json",
    }));
  }
  app.setNotFoundHandler(async (request, reply) => {
    const allowed = methods.allowedMethods(request.url.split("?")[0] ?? "/");
    if (allowed.length > 0) {
      reply.header("allow", allowed.join(", "));
      throw new AppError("method_not_allowed");
    }
    throw new AppError("not_found");
  });
}

/** Builds the whole app. Never listens: server.ts does, and tests use `inject`. */
export async function buildApp(config: Config, deps: AppDependencies): Promise<FastifyInstance> {
  if (!config.secretKey) throw new Error("config.secretKey must be resolved before building the app");
  const app = createFastify(config, deps.logStream);
  const methods = trackRouteMethods(app);
  const clock = deps.clock ?? systemClock;
  const { db } = deps.database;
  const keyring = createKeyring(config.secretKey);
  const { transport, devMailbox } = deps.mailTransport
    ? { transport: deps.mailTransport, devMailbox: undefined }
    : chooseTransport(config, app);

  const audit = createAuditLog({ db, clock });
  // With REDIS_URL: limits shared in Redis (the SQL store as fallback) and cross-instance revocation.
  const redis = config.redisUrl
    ? createRedisServices({
        url: config.redisUrl,
        keyPrefix: config.redis.keyPrefix,
        commandTimeoutMs: config.redis.commandTimeoutMs,
        fallbackLimits: createSqlRateLimitStore(db),
        log: app.log,
      })
    : undefined;
  const limits = deps.rateLimitStore ?? redis?.limits ?? createSqlRateLimitStore(db);
  const metrics = isMetricsEnabled(config)
    ? createMetrics({
        readOutboxStatus: () => outbox.status(),
        rateLimitMode: redis && !deps.rateLimitStore ? redis.limits.mode : undefined,
        now: () => clock.now(),
      })
    : undefined;
  const outbox = createOutbox({
    db,
    dialect: deps.database.dialect,
    clock,
    outboxKey: keyring.outboxKey,
    emailKey: keyring.emailKey,
    transport,
    audit,
    log: app.log,
    maxAttempts: config.mail.maxAttempts,
    maxPending: config.mail.maxPending,
    pollIntervalMs: deps.outboxPollIntervalMs,
    onDelivered: metrics?.recordMailDelivery,
  });
  const keys = createSigningKeys({
    db,
    clock,
    encryptionKey: keyring.signingKeyEncryptionKey,
    jwtSecret: config.tokens.jwtSecret,
    rotationDays: config.tokens.keyRotationDays,
    // An instance that has not reloaded yet signs with the old key for up to keyReloadSeconds.
    retiredKeyLifetimeMs:
      (config.tokens.accessTokenTtlSeconds +
        config.tokens.clockSkewSeconds +
        config.tokens.keyReloadSeconds) *
      1000,
    // Every instance and the JWKS's HTTP caches (max-age 300 s) hold the next key before it signs.
    prepublishMs: (config.tokens.keyReloadSeconds + 600) * 1000,
  });
  await keys.ensureCurrent();
  const accessTokens = createAccessTokens({
    keys,
    clock,
    issuer: config.tokens.issuer,
    audience: config.tokens.audience,
    ttlSeconds: config.tokens.accessTokenTtlSeconds,
    clockSkewSeconds: config.tokens.clockSkewSeconds,
  });
  const revocations = deps.revocationBus ?? redis?.revocations ?? createLocalRevocationBus();
  const sessions = createSessionService({
    db,
    clock,
    refreshKey: keyring.refreshKey,
    accessTokens,
    cache: createSessionCache({ ttlMs: config.sessions.cacheTtlMs }),
    revocations,
    audit,
    settings: config.sessions,
  });
  const provider = deps.provider ?? (await chooseProvider(config, keyring));
  const passwordless = createPasswordlessService({
    db,
    clock,
    provider,
    outbox,
    users: createUserService({ clock, allowSignup: config.passwordless.allowSignup }),
    sessions,
    audit,
    limits,
    budget: createCodeFailureBudget({
      db,
      perHour: config.limits.codeFailuresPerHour,
      hardStop: config.limits.codeFailuresHardStop,
    }),
    emailKey: keyring.emailKey,
    bindingKey: keyring.bindingKey,
    config,
  });

  app.decorate("latchkey", {
    config,
    clock,
    database: deps.database,
    audit,
    outbox,
    keys,
    sessions,
    passwordless,
    devMailbox,
  });

  await registerHttpBasics(app, config);
  if (metrics) await app.register(metricsPlugin, { metrics, config });
  const allowedOrigins = [config.server.publicUrl.origin, ...config.corsOrigins];
  await app.register(httpsOnlyPlugin, {
    isEnabled: config.isProduction && config.server.trustProxy !== false,
  });
  await app.register(csrfPlugin, { allowedOrigins, audit });
  await app.register(ipLimitPlugin, {
    store: limits,
    clock,
    isEnabled: config.limits.enabled,
    // Refresh is not bound to one email, so its only limit is per client IP (SECURITY.md 34).
    routes: {
      [`POST ${API_PREFIX}/refresh`]: { name: "refresh", perMinute: config.limits.refreshesPerIpPerMinute },
    },
  });
  await app.register(currentUserPlugin, { sessions, settings: config.sessions });

  const webRoot = findWebRoot();
  const webUi = webRoot ? await registerWebUi(app, webRoot) : undefined;
  await app.register(healthRoutes, { database: deps.database });
  await app.register(jwksRoutes, { keys });
  await app.register(
    async (api) => {
      await api.register(passwordlessRoutes, { passwordless, config, clock });
      await api.register(sessionRoutes, { sessions, config, clock });
      await api.register(auditRoutes, { audit });
    },
    { prefix: API_PREFIX },
  );
  if (devMailbox) await app.register(devMailboxRoutes, { mailbox: devMailbox, webUi });
  registerFallbacks(app, methods, webUi);

  const maintenance = createMaintenance({ log: app.log, keys, outbox, audit, db, clock, config });
  if (deps.runBackgroundJobs !== false) {
    app.addHook("onReady", async () => {
      outbox.start();
      maintenance.start();
    });
  }
  app.addHook("onClose", async () => {
    maintenance.stop();
    await outbox.stop();
    await transport.close();
    await revocations.close();
    await redis?.close();
  });
  return app;
}
