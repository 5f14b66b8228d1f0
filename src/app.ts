import fastifyCookie from "@fastify/cookie";
import fastifyCors from "@fastify/cors";
import fastifyHelmet from "@fastify/helmet";
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
import { healthRoutes } from "./http/health-routes.js";
import { trackRouteMethods } from "./http/method-not-allowed.js";
import { findWebRoot, registerWebUi, type WebUi } from "./http/web-ui.js";
import { createDevMailbox, devMailboxRoutes } from "./mail/dev-mailbox.js";
import { createOutbox, type Outbox } from "./mail/outbox.js";
import { createSmtpTransport, type MailTransport, type MemoryMailbox } from "./mail/transports.js";
import { createMaintenance } from "./maintenance.js";
import {
  createBuiltinProvider,
  createPasswordlessService,
  type PasswordlessProvider,
  type PasswordlessService,
  passwordlessRoutes,
} from "./passwordless/index.js";
import { type AuditLog, createAuditLog } from "./security/audit.js";
import { auditRoutes } from "./security/audit-routes.js";
import { createCodeFailureBudget } from "./security/code-failure-budget.js";
import { createKeyring, randomId } from "./security/crypto.js";
import { csrfPlugin } from "./security/csrf.js";
import { ipLimitPlugin } from "./security/ip-limit.js";
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

const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
  },
};

function chooseTransport(
  config: Config,
  app: FastifyInstance,
): { transport: MailTransport; devMailbox?: MemoryMailbox } {
  if (config.mail.smtpUrl)
    return { transport: createSmtpTransport({ smtpUrl: config.mail.smtpUrl, from: config.mail.from }) };
  if (config.isProduction) throw new Error("SMTP_URL is required in production");
  const devMailbox = createDevMailbox(app.log);
  return { transport: devMailbox, devMailbox };
}

function createFastify(config: Config): FastifyInstance {
  const app = Fastify({
    logger: {
      level: config.server.logLevel,
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
    genReqId: () => randomId(),
    requestIdHeader: false,
    // A hop count is honoured at runtime (proxy-addr) though Fastify's types omit it.
    trustProxy: config.server.trustProxy as boolean | string[],
    bodyLimit: config.server.bodyLimitBytes,
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
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onSend", async (request, reply) => {
    if (!reply.hasHeader("cache-control") && !request.url.startsWith("/assets/")) {
      reply.header("cache-control", "no-store");
    }
  });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    hsts: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "no-referrer" },
    crossOriginResourcePolicy: { policy: "same-origin" },
  });
  await app.register(fastifyCors, {
    origin: [...config.corsOrigins],
    credentials: true,
    methods: ["GET", "POST", "DELETE"],
    allowedHeaders: ["content-type", "authorization"],
    exposedHeaders: ["retry-after", "x-request-id"],
    maxAge: 600,
  });
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
  await app.register(fastifySwaggerUi, { routePrefix: "/docs", staticCSP: true });
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
  const app = createFastify(config);
  const methods = trackRouteMethods(app);
  const clock = deps.clock ?? systemClock;
  const { db } = deps.database;
  const keyring = createKeyring(config.secretKey);
  const { transport, devMailbox } = deps.mailTransport
    ? { transport: deps.mailTransport, devMailbox: undefined }
    : chooseTransport(config, app);

  const audit = createAuditLog({ db, clock });
  const limits = deps.rateLimitStore ?? createSqlRateLimitStore(db);
  const outbox = createOutbox({
    db,
    dialect: deps.database.dialect,
    clock,
    outboxKey: keyring.outboxKey,
    transport,
    audit,
    log: app.log,
    maxAttempts: config.mail.maxAttempts,
    maxPending: config.mail.maxPending,
    pollIntervalMs: deps.outboxPollIntervalMs,
  });
  const keys = createSigningKeys({
    db,
    clock,
    encryptionKey: keyring.signingKeyEncryptionKey,
    jwtSecret: config.tokens.jwtSecret,
    rotationDays: config.tokens.keyRotationDays,
    retiredKeyLifetimeMs: (config.tokens.accessTokenTtlSeconds + config.tokens.clockSkewSeconds) * 1000,
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
  const revocations = deps.revocationBus ?? createLocalRevocationBus();
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
  const provider =
    deps.provider ??
    createBuiltinProvider({
      codeKey: keyring.codeKey,
      linkKey: keyring.linkKey,
      otpLength: config.passwordless.otpLength,
    });
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
  const allowedOrigins = [config.server.publicUrl.origin, ...config.corsOrigins];
  await app.register(csrfPlugin, { allowedOrigins, audit });
  await app.register(ipLimitPlugin, { store: limits, clock, isEnabled: config.limits.enabled });
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
  });
  return app;
}
