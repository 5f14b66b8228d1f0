import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Db } from "../db/database.js";
import { backoffMs, createLeasedWorker } from "../db/leased-queue.js";
import { AppError } from "../errors.js";
import type { AuditEvent, AuditLog } from "../security/audit.js";
import { decrypt, encrypt, randomId } from "../security/crypto.js";
import { isWebhookEventType, payloadData, type WebhookMapping, webhooksForAuditEvent } from "./events.js";
import { postWebhook } from "./http-sender.js";
import { generateWebhookSecret, signedHeaders } from "./signing.js";
import {
  claimDueDeliveries,
  deleteDeliveredForUser,
  disableEndpoint,
  findEndpoint,
  insertDeliveries,
  insertEndpoint,
  listActiveEndpoints,
  listEndpoints,
  markDeliveryFailed,
  markDeliverySent,
  recordEndpointFailure,
  recordEndpointSuccess,
  releaseEndpointRetries,
  removeEndpoint,
  renewDeliveryLeases,
  replaceSecret,
  scheduleDeliveryRetry,
  type WebhookDelivery,
  type WebhookEndpoint,
} from "./store.js";
import { parseWebhookUrl, RefusedUrlError, type Resolver, resolveDeliveryTarget } from "./url-guard.js";

export interface WebhookServiceOptions {
  db: Db;
  dialect: "sqlite" | "postgres";
  clock: Clock;
  audit: AuditLog;
  log: FastifyBaseLogger;
  /** Seals the signing secrets at rest. */
  secretKey: Buffer;
  isProduction: boolean;
  settings: Config["webhooks"];
  pollIntervalMs?: number;
  /** DNS for deliveries; tests pass a fake to prove names resolving inward are refused. */
  resolver?: Resolver;
}

/** An endpoint as the CLI and the admin API show it: never its secret. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  events: string[] | undefined;
  createdAt: Date;
  disabledAt: Date | undefined;
  consecutiveFailures: number;
}

const LEASE_MS = 15_000;
const LEASE_RENEW_MS = 5_000;
const BATCH = 20;
/** 5 s, 10 s, 20 s … capped at 1 h; rows are retried until WEBHOOK_RETRY_HOURS have passed. */
const WEBHOOK_BACKOFF = { baseMs: 5_000, maxMs: 3_600_000 };

function toView(endpoint: WebhookEndpoint): WebhookEndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    createdAt: new Date(endpoint.createdAt),
    disabledAt: endpoint.disabledAt === null ? undefined : new Date(endpoint.disabledAt),
    consecutiveFailures: endpoint.consecutiveFailures,
  };
}

export function createWebhookService(options: WebhookServiceOptions) {
  const { db, clock, audit, log, settings } = options;
  const policy = { isProduction: options.isProduction, allowPrivate: settings.allowPrivateUrls };
  const seal = (secret: string) => encrypt(options.secretKey, secret);
  const unseal = (sealed: string) => decrypt(options.secretKey, sealed);

  function checkedUrl(url: string): string {
    try {
      return parseWebhookUrl(url, policy).toString();
    } catch (error) {
      throw new AppError("invalid_webhook_url", { cause: error });
    }
  }

  function checkedEvents(events: readonly string[] | undefined): string[] | undefined {
    if (!events || events.length === 0) return undefined;
    for (const event of events) {
      if (!isWebhookEventType(event)) throw new AppError("invalid_webhook_event", { extra: { event } });
    }
    return [...new Set(events)];
  }

  /** Adds an endpoint; the secret is returned this once. Throws `invalid_webhook_url`, `invalid_webhook_event`. */
  async function addEndpoint(input: { url: string; events?: readonly string[] | undefined }) {
    const url = checkedUrl(input.url);
    const events = checkedEvents(input.events);
    const secret = generateWebhookSecret();
    const id = `ep_${randomId()}`;
    await insertEndpoint(db, { id, url, events, secretSealed: seal(secret), now: clock.now() });
    return { id, url, events, secret };
  }

  async function list(): Promise<WebhookEndpointView[]> {
    return (await listEndpoints(db)).map(toView);
  }

  /** Throws `webhook_not_found`. */
  async function remove(id: string): Promise<void> {
    if (!(await removeEndpoint(db, id, clock.now()))) throw new AppError("webhook_not_found");
  }

  /**
   * A new secret signs from now on; the old one signs beside it for the overlap window so
   * receivers can switch without losing a delivery. Throws `webhook_not_found`.
   */
  async function rotateSecret(
    id: string,
  ): Promise<{ id: string; secret: string; previousSecretValidUntil: Date }> {
    const endpoint = await findEndpoint(db, id);
    if (!endpoint) throw new AppError("webhook_not_found");
    const secret = generateWebhookSecret();
    const previousExpiresAt = clock.now() + settings.secretOverlapMs;
    const isReplaced = await replaceSecret(db, {
      id,
      secretSealed: seal(secret),
      previousSecretSealed: endpoint.secretSealed,
      previousExpiresAt,
    });
    if (!isReplaced) throw new AppError("webhook_not_found");
    return { id, secret, previousSecretValidUntil: new Date(previousExpiresAt) };
  }

  async function emailOf(executor: Db, userId: string | undefined): Promise<string | undefined> {
    if (!userId) return undefined;
    const row = await executor
      .selectFrom("users")
      .select("email")
      .where("id", "=", userId)
      .executeTakeFirst();
    return row?.email;
  }

  async function dataFor(executor: Db, mapping: WebhookMapping, event: AuditEvent) {
    const data = payloadData(mapping, event);
    if (mapping.withEmail) data.email = (await emailOf(executor, event.userId)) ?? null;
    return data;
  }

  const mappingsFor = (event: AuditEvent) =>
    (webhooksForAuditEvent[event.type] ?? []).filter((mapping) => mapping.when?.(event) ?? true);

  /**
   * The audit log's subscriber: queues a delivery per subscribed endpoint for each webhook
   * the event maps to, in the transaction that records the event (`executor`).
   */
  async function queueForAuditEvent(event: AuditEvent, executor: Db): Promise<void> {
    const mappings = (webhooksForAuditEvent[event.type] ?? []).filter(
      (mapping) => mapping.when?.(event) ?? true,
    );
    if (mappings.length === 0) return;
    const endpoints = await listActiveEndpoints(executor);
    if (endpoints.length === 0) return;
    const now = clock.now();
    for (const mapping of mappings) {
      const receivers = endpoints.filter(
        (endpoint) => !endpoint.events || endpoint.events.includes(mapping.type),
      );
      if (receivers.length === 0) continue;
      const payload = JSON.stringify({
        type: mapping.type,
        timestamp: new Date(now).toISOString(),
        data: await dataFor(executor, mapping, event),
      });
      const messageId = `msg_${randomId()}`;
      await insertDeliveries(
        executor,
        receivers.map((endpoint) => ({
          id: randomId(),
          messageId,
          endpointId: endpoint.id,
          eventType: mapping.type,
          payload,
          now,
        })),
      );
    }
    wakeSoon();
  }

  function secretsOf(endpoint: WebhookEndpoint, now: number): string[] {
    const secrets = [unseal(endpoint.secretSealed)];
    const isOverlapping =
      endpoint.previousSecretSealed !== null &&
      endpoint.previousSecretExpiresAt !== null &&
      endpoint.previousSecretExpiresAt > now;
    if (isOverlapping && endpoint.previousSecretSealed) secrets.push(unseal(endpoint.previousSecretSealed));
    return secrets;
  }

  /** One attempt: an error is a reason code (status or refusal), never the receiver's text. */
  async function attempt(delivery: WebhookDelivery, endpoint: WebhookEndpoint): Promise<string | undefined> {
    const now = clock.now();
    try {
      const target = await resolveDeliveryTarget(endpoint.url, policy, options.resolver);
      const headers = signedHeaders(
        secretsOf(endpoint, now),
        delivery.messageId,
        Math.floor(now / 1000),
        delivery.payload,
      );
      const response = await postWebhook(target, headers, delivery.payload);
      return response.status >= 200 && response.status < 300 ? undefined : `http_${response.status}`;
    } catch (error) {
      if (error instanceof RefusedUrlError) return `refused: ${error.reason}`;
      const code = (error as { code?: unknown }).code;
      return typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code) ? code : "network_error";
    }
  }

  async function recordFailure(delivery: WebhookDelivery, endpoint: WebhookEndpoint, reason: string) {
    const now = clock.now();
    if (now - delivery.createdAt >= settings.retryWindowMs) {
      await markDeliveryFailed(db, delivery.id, now, reason);
    } else {
      await scheduleDeliveryRetry(
        db,
        delivery.id,
        now + backoffMs(delivery.attempts, WEBHOOK_BACKOFF),
        reason,
      );
    }
    log.warn(
      { webhookEndpointId: endpoint.id, attempts: delivery.attempts, reason },
      "webhook delivery failed",
    );
    const run = await recordEndpointFailure(db, endpoint.id, now);
    const isDead =
      run !== undefined &&
      run.consecutiveFailures >= settings.disableAfterFailures &&
      now - run.failingSince >= settings.retryWindowMs;
    if (isDead && (await disableEndpoint(db, endpoint.id, now))) {
      log.error({ webhookEndpointId: endpoint.id }, "webhook endpoint disabled after failing too long");
      await audit.record({
        type: "webhook_endpoint_disabled",
        detail: { endpoint_id: endpoint.id, consecutive_failures: run.consecutiveFailures },
      });
    }
  }

  async function deliver(delivery: WebhookDelivery): Promise<void> {
    const endpoint = await findEndpoint(db, delivery.endpointId);
    if (!endpoint || endpoint.disabledAt !== null) {
      await markDeliveryFailed(db, delivery.id, clock.now(), "endpoint_disabled");
      return;
    }
    const failure = await attempt(delivery, endpoint);
    if (failure) {
      await recordFailure(delivery, endpoint, failure);
      return;
    }
    // If this write fails the lease runs out and the event goes again, same webhook-id: at least once.
    await markDeliverySent(db, delivery.id, clock.now());
    if (await recordEndpointSuccess(db, endpoint.id)) {
      if ((await releaseEndpointRetries(db, endpoint.id, clock.now())) > 0) worker.requestAnotherPass();
    }
  }

  const worker = createLeasedWorker<WebhookDelivery>({
    name: "webhook worker",
    log,
    leaseMs: LEASE_MS,
    leaseRenewMs: LEASE_RENEW_MS,
    batch: BATCH,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    now: () => clock.now(),
    claim: (now) =>
      claimDueDeliveries(db, { now, leaseMs: LEASE_MS, limit: BATCH, dialect: options.dialect }),
    renew: (ids, lockedUntil) => renewDeliveryLeases(db, ids, lockedUntil),
    deliver,
  });

  /** After the event's transaction commits, so the worker sees its rows. */
  function wakeSoon() {
    setImmediate(() => worker.wake());
  }

  return {
    addEndpoint,
    list,
    remove,
    rotateSecret,
    /** Subscribes to the audit log: webhooks are written in their event's transaction. */
    auditSubscriber: {
      wants: (event: AuditEvent) => mappingsFor(event).length > 0,
      onEvent: queueForAuditEvent,
    },
    /** Erasure: the delivered history that names the user. */
    eraseDeliveredForUser: (executor: Db, userId: string) => deleteDeliveredForUser(executor, userId),
    deliverDue: worker.deliverDue,
    start: worker.start,
    stop: worker.stop,
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
