import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { DatabaseHandle } from "../db/database.js";
import type { PasswordlessService } from "../passwordless/index.js";
import type { AuditLog } from "../security/audit.js";
import type { Keyring } from "../security/crypto.js";
import type { SessionService } from "../sessions/index.js";
import { createWebhookService, type Resolver } from "../webhooks/index.js";
import { createAdminKeys } from "./keys.js";
import { createAdminService } from "./service.js";
import { coreUserData, createUserDataRegistry } from "./user-data.js";

/**
 * The operations features in one place: admin keys, the admin service with its registry of
 * per-user data, and the webhook service fed from the audit log. Features that keep
 * per-user rows add them with `userData.register(…)`.
 */
export function createOperations(deps: {
  database: DatabaseHandle;
  clock: Clock;
  audit: AuditLog;
  log: FastifyBaseLogger;
  keyring: Keyring;
  config: Config;
  sessions: SessionService;
  passwordless: PasswordlessService;
  pollIntervalMs?: number | undefined;
  webhookResolver?: Resolver | undefined;
}) {
  const { database, clock, audit, keyring, config } = deps;
  const webhooks = createWebhookService({
    db: database.db,
    dialect: database.dialect,
    clock,
    audit,
    log: deps.log,
    secretKey: keyring.webhookSecretKey,
    isProduction: config.isProduction,
    settings: config.webhooks,
    pollIntervalMs: deps.pollIntervalMs,
    resolver: deps.webhookResolver,
  });
  audit.subscribe(webhooks.auditSubscriber);
  const userData = createUserDataRegistry();
  for (const source of coreUserData) userData.register(source);
  userData.register({
    name: "webhook_deliveries",
    erase: (executor, user) => webhooks.eraseDeliveredForUser(executor, user.id),
  });
  const adminKeys = createAdminKeys({ db: database.db, clock, hashKey: keyring.adminKeyHashKey });
  const admin = createAdminService({
    db: database.db,
    clock,
    audit,
    sessions: deps.sessions,
    passwordless: deps.passwordless,
    userData,
    emailKey: keyring.emailKey,
    signInLinks: {
      isEnabled: config.admin.signInLinksEnabled,
      ttlSeconds: config.admin.signInLinkTtlSeconds,
    },
  });
  return { webhooks, userData, adminKeys, admin };
}

export type Operations = ReturnType<typeof createOperations>;
