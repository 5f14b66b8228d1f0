import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import { adminRoutes } from "./admin/index.js";
import type { Config } from "./config.js";
import { AppError, handleError } from "./errors.js";
import { refuseDuplicateAuthorization } from "./http/authorization-header.js";
import { cookiesPlugin } from "./http/cookies.js";
import { registerCors } from "./http/cors.js";
import { healthRoutes } from "./http/health-routes.js";
import { createAccessLogController, deferredChildLogger, type Logger } from "./http/logger.js";
import { trackRouteMethods } from "./http/method-not-allowed.js";
import { metricsPlugin } from "./http/metrics.js";
import { registerOpenApi } from "./http/openapi.js";
import { API_PREFIX, pathOf } from "./http/paths.js";
import { publicConfigRoutes } from "./http/public-config-routes.js";
import { createRequestIdGenerator, registerSecurityHeaders } from "./http/security-headers.js";
import { serializerCompiler } from "./http/serializer.js";
import { registerWebUi, type WebUi } from "./http/web-ui.js";
import { devMailboxRoutes } from "./mail/dev-mailbox.js";
import { connectedAppsRoutes, oidcInteractionRoutes, oidcMountPlugin } from "./oidc/index.js";
import { INTERACTION_PATH, OIDC_ROUTE_PREFIX } from "./oidc/provider.js";
import { passkeyRoutes } from "./passkeys/index.js";
import { passwordlessRoutes } from "./passwordless/index.js";
import { auditRoutes } from "./security/audit-routes.js";
import { trustProxyOption } from "./security/client-ip.js";
import { randomId } from "./security/crypto.js";
import { csrfPlugin } from "./security/csrf.js";
import { clientErrorHandler, createFrameworkErrorHandler } from "./security/framework-errors.js";
import { httpsOnlyPlugin } from "./security/https-only.js";
import { ipLimitPlugin } from "./security/ip-limit.js";
import { registerJsonLimits } from "./security/json-limits.js";
import type { Services } from "./services.js";
import { currentUserPlugin, duplicateCookieGuard, sessionRoutes } from "./sessions/index.js";
import { jwksRoutes } from "./sessions/jwks-routes.js";

export interface AppOptions {
  /** The built UI (a folder holding index.html and assets/); without it `/` answers a JSON pointer to /docs. */
  webRoot?: string | undefined;
}

function createFastify(config: Config, log: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: log,
    genReqId: createRequestIdGenerator(randomId().slice(0, 8)),
    logController: createAccessLogController(log),
    childLoggerFactory: deferredChildLogger,
    requestIdHeader: false,
    // Fastify ignores a bare hop count, so TRUST_PROXY=N becomes a trust function (SECURITY.md 35).
    trustProxy: trustProxyOption(config.server.trustProxy),
    bodyLimit: config.server.bodyLimitBytes,
    frameworkErrors: createFrameworkErrorHandler({ isProduction: config.isProduction }),
    clientErrorHandler,
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
  registerCors(app, config.corsOrigins);
  await app.register(cookiesPlugin);
  await registerOpenApi(app, config);
}

/** Paths that belong to programs: an unknown one answers the JSON 404 even to a browser. */
const MACHINE_PATH_PREFIXES = ["/api/", "/dev/", `${OIDC_ROUTE_PREFIX}/`, "/.well-known/", "/assets/"];

/** A browser navigating to a page (not a script fetching data), at a path that is not an API's. */
function isPageNavigation(request: FastifyRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (!request.headers.accept?.includes("text/html")) return false;
  const path = pathOf(request.url);
  return !MACHINE_PATH_PREFIXES.some((prefix) => path.startsWith(prefix) || `${path}/` === prefix);
}

function registerFallbacks(app: FastifyInstance, config: Config, webUi: WebUi | undefined) {
  if (!webUi && config.server.isDocsPublic) {
    app.get("/", { schema: { hide: true } }, async () => ({
      name: config.branding.appName,
      message: "Passwordless authentication server. API docs at /docs; build the UI with `npm run build`.",
      docs: "/docs",
      openapi: "/openapi.json",
    }));
  }
  // A known path with an unserved method got its 405 from trackRouteMethods already.
  // A browser gets the app, which draws its own "page not found", with the status a crawler needs.
  app.setNotFoundHandler(async (request, reply) => {
    if (webUi && isPageNavigation(request)) return webUi.sendPage(reply.code(404));
    throw new AppError("not_found");
  });
}

/**
 * Registers the HTTP layer over `services`, in order: basics, guards, pages, routes,
 * fallbacks. Never listens (run-server.ts does; tests use `inject`) and starts nothing: the
 * caller owns the services' lifecycle (`services.start()`, `services.close()`).
 */
export async function buildApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const {
    config,
    clock,
    limits,
    audit,
    sessions,
    passwordless,
    passkeys,
    keys,
    metrics,
    devMailbox,
    operations,
    oidc,
  } = services;
  const app = createFastify(config, services.log);
  // First, so every answer carries them, a 405 from trackRouteMethods included.
  registerSecurityHeaders(app, { isProduction: config.isProduction });
  refuseDuplicateAuthorization(app);
  trackRouteMethods(app);

  await registerHttpBasics(app, config);
  if (metrics) await app.register(metricsPlugin, { metrics, config });
  const allowedOrigins = [config.server.publicUrl.origin, ...config.corsOrigins];
  await app.register(httpsOnlyPlugin, {
    isEnabled: config.isProduction && config.server.trustProxy !== false,
  });
  await app.register(duplicateCookieGuard, {
    settings: config.sessions,
    paths: [API_PREFIX, INTERACTION_PATH, OIDC_ROUTE_PREFIX],
  });
  // The OpenID Provider answers its own routes before CSRF and body parsing: it has its own rules.
  await app.register(oidcMountPlugin, { oidc, sessions, config, limits, clock });
  await app.register(csrfPlugin, { allowedOrigins, audit });
  await app.register(ipLimitPlugin, { store: limits, clock, isEnabled: config.limits.enabled });
  await app.register(currentUserPlugin, { sessions, settings: config.sessions });

  const webUi = options.webRoot
    ? await registerWebUi(app, options.webRoot, { logoUrl: config.branding.logoUrl })
    : undefined;
  await app.register(healthRoutes, { database: services.database });
  await app.register(jwksRoutes, { keys });
  await app.register(oidcInteractionRoutes, { oidc, sessions, config, webUi });
  await app.register(
    async (api) => {
      await api.register(publicConfigRoutes, { config, users: services.users, db: services.database.db });
      await api.register(passwordlessRoutes, { passwordless, config, clock });
      await api.register(sessionRoutes, { sessions, config, clock });
      await api.register(passkeyRoutes, { passkeys, config, clock });
      await api.register(auditRoutes, { audit });
      await api.register(connectedAppsRoutes, { oidc });
    },
    { prefix: API_PREFIX },
  );
  await app.register(adminRoutes, {
    prefix: "/api/admin",
    ...operations,
    keys: operations.adminKeys,
    audit,
    limits,
    clock,
    requestsPerIpPerMinute: config.admin.requestsPerIpPerMinute,
  });
  if (devMailbox) {
    await app.register(devMailboxRoutes, {
      mailbox: devMailbox,
      webUi,
      renderer: services.mailRenderer,
      isPublic: config.mail.devMailboxPublic,
      now: () => clock.now(),
    });
  }
  registerFallbacks(app, config, webUi);
  return app;
}
