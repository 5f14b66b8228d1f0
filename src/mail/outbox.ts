import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { AppError } from "../errors.js";
import type { AuditLog } from "../security/audit.js";
import { decrypt, encrypt, keyedHash, randomId } from "../security/crypto.js";
import {
  claimDueEntries,
  countPending,
  insertOutboxEntry,
  markFailed,
  markSent,
  type OutboxEntry,
  readOutboxStatus,
  releaseRetries,
  renewLeases,
  retryFailed,
  scheduleRetry,
  wipeStaleMessages,
} from "./outbox-store.js";
import { renderSignInMail, type SignInMailContent } from "./templates.js";
import type { MailTransport } from "./transports.js";

export interface SignInMailIntent extends Omit<SignInMailContent, "appName"> {
  to: string;
  authRequestId: string;
}

export interface OutboxOptions {
  db: Db;
  dialect: "sqlite" | "postgres";
  clock: Clock;
  outboxKey: Buffer;
  /** Keys the recipient's hash in audit rows, the same hash the sign-in events carry. */
  emailKey: Buffer;
  transport: MailTransport;
  audit: AuditLog;
  log: FastifyBaseLogger;
  maxAttempts: number;
  maxPending: number;
  appName?: string;
  /** Poll interval while idle; an enqueue wakes the worker at once. */
  pollIntervalMs?: number;
  onDelivered?: (outcome: "sent" | "retry" | "failed") => void;
}

/**
 * A claimed message is leased for LEASE_MS and the lease is renewed while the message is
 * being sent, so a worker that dies (SIGKILL, OOM, power loss) holds its messages for at
 * most LEASE_MS before any instance, or its own restart, sends them.
 */
const LEASE_MS = 15_000;
const LEASE_RENEW_MS = 5_000;
/** A send that takes longer is abandoned and retried; the transport's own timeouts normally end it first. */
const SEND_TIMEOUT_MS = 60_000;
const BATCH = 20;
const MAX_PARALLEL_DRAINS = 4;
const BASE_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 10 * 60_000;

/** 2 s, 4 s, 8 s … capped at 10 min, with ±20 % jitter so retries from many rows spread out. */
export function backoffMs(attempts: number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}

async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A delivery failure as codes only (`EENVELOPE 550`). The mail server's own text usually
 * quotes the recipient, so it reaches neither the log nor the table (SECURITY.md 44).
 */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return "error";
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  const name = typeof code === "string" && /^[A-Za-z0-9_]{1,40}$/.test(code) ? code : error.name;
  return typeof responseCode === "number" ? `${name} ${responseCode}` : name;
}

export function createOutbox(options: OutboxOptions) {
  const hashRecipient = (recipient: string) => keyedHash(options.emailKey, recipient);
  const { db, clock, transport, audit, log } = options;
  const appName = options.appName ?? "Latchkey";
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  /** Drains run side by side, so a new mail never waits for a slow batch; leases keep them apart. */
  const drains = new Set<Promise<void>>();
  let wakeRequested = false;
  let isStopping = false;
  /** Set by a failed delivery; the next success then releases the back-off of the waiting mail. */
  let hasFailedSinceSuccess = false;

  /**
   * Queues the sign-in mail inside the caller's transaction, so a challenge never exists
   * without its mail or the reverse. Throws `mail_unavailable` when the queue is full.
   */
  async function enqueueSignInMail(executor: Db, intent: SignInMailIntent): Promise<void> {
    if ((await countPending(executor)) >= options.maxPending) throw new AppError("mail_unavailable");
    const sealedMessage = encrypt(options.outboxKey, JSON.stringify(intent));
    await insertOutboxEntry(executor, {
      id: randomId(),
      authRequestId: intent.authRequestId,
      recipient: intent.to,
      sealedMessage,
      now: clock.now(),
    });
  }

  async function recordFailure(entry: OutboxEntry, failedAt: number, error: unknown): Promise<void> {
    const reason = describeError(error);
    if (entry.attempts >= options.maxAttempts) {
      await markFailed(db, entry.id, failedAt, reason);
      options.onDelivered?.("failed");
      log.error({ outboxId: entry.id, attempts: entry.attempts, reason }, "mail permanently failed");
      await audit.record({
        type: "mail_failed",
        emailHash: hashRecipient(entry.recipient),
        detail: { attempts: entry.attempts, reason },
      });
      return;
    }
    hasFailedSinceSuccess = true;
    await scheduleRetry(db, entry.id, failedAt + backoffMs(entry.attempts), reason);
    options.onDelivered?.("retry");
    log.warn({ outboxId: entry.id, attempts: entry.attempts, reason }, "mail delivery failed; will retry");
  }

  /** The mail server took a message after failures: the mail waiting out its back-off goes now. */
  async function releaseWaitingMail(): Promise<void> {
    if (!hasFailedSinceSuccess) return;
    hasFailedSinceSuccess = false;
    try {
      if ((await releaseRetries(db, clock.now())) > 0) wakeRequested = true;
    } catch (error) {
      log.warn({ err: error }, "outbox could not release the mail waiting for a retry");
    }
  }

  /** One attempt. Only a failed send counts as a failed attempt; bookkeeping errors after it do not. */
  async function deliver(entry: OutboxEntry): Promise<void> {
    const startedAt = clock.now();
    try {
      const intent = JSON.parse(decrypt(options.outboxKey, entry.sealedMessage)) as SignInMailIntent;
      const rendered = renderSignInMail({ ...intent, appName });
      await within(
        transport.send({ ...rendered, to: entry.recipient, code: intent.code, link: intent.link }),
        SEND_TIMEOUT_MS,
        "mail delivery",
      );
    } catch (error) {
      await recordFailure(entry, startedAt, error);
      return;
    }
    // If this write fails (database down) the lease runs out and the mail is sent again: at least once.
    await markSent(db, entry.id, clock.now());
    options.onDelivered?.("sent");
    await releaseWaitingMail();
    await audit
      .record({
        type: "mail_sent",
        emailHash: hashRecipient(entry.recipient),
        detail: { attempts: entry.attempts },
      })
      .catch((error: unknown) => {
        log.warn({ err: error }, "could not audit a sent mail");
      });
  }

  /** Delivers claimed messages, renewing their leases until each is sent or rescheduled. */
  async function deliverLeased(entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const inFlight = new Set(entries.map((entry) => entry.id));
    const renewal = setInterval(() => {
      renewLeases(db, [...inFlight], clock.now() + LEASE_MS).catch((error: unknown) => {
        log.warn({ err: error }, "outbox could not renew its leases");
      });
    }, LEASE_RENEW_MS);
    renewal.unref();
    try {
      await Promise.all(
        entries.map(async (entry) => {
          try {
            await deliver(entry);
          } finally {
            inFlight.delete(entry.id);
          }
        }),
      );
    } finally {
      clearInterval(renewal);
    }
  }

  /** Delivers every due message once; returns how many were claimed. */
  async function deliverDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const entries = await claimDueEntries(db, {
        now: clock.now(),
        leaseMs: LEASE_MS,
        limit: BATCH,
        dialect: options.dialect,
      });
      total += entries.length;
      await deliverLeased(entries);
      // At shutdown, finish the claimed batch and leave the rest to the other instances or the next start.
      if (entries.length < BATCH || isStopping) return total;
    }
  }

  async function drainOnce(): Promise<void> {
    do {
      wakeRequested = false;
      try {
        await deliverDue();
      } catch (error) {
        log.warn({ err: error }, "outbox worker could not reach the database; will retry");
      }
    } while (wakeRequested && running);
  }

  function schedule(delayMs: number) {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
    timer.unref();
  }

  function tick() {
    if (drains.size >= MAX_PARALLEL_DRAINS) {
      wakeRequested = true;
      return;
    }
    const drain: Promise<void> = drainOnce().finally(() => {
      drains.delete(drain);
      if (drains.size === 0) schedule(options.pollIntervalMs ?? 1000);
    });
    drains.add(drain);
  }

  return {
    enqueueSignInMail,
    deliverDue,
    /** Wakes the worker after a commit so mail leaves at once instead of at the next poll. */
    wake() {
      if (running) tick();
    },
    start() {
      if (running) return;
      running = true;
      isStopping = false;
      schedule(0);
    },
    /** Stops polling and waits for the batch in flight, so no claimed message is left leased. */
    async stop() {
      running = false;
      isStopping = true;
      clearTimeout(timer);
      await Promise.all(drains);
    },
    status: () => readOutboxStatus(db),
    retryFailed: () => retryFailed(db, clock.now()),
    wipeStaleMessages: (maxAgeMs: number) => wipeStaleMessages(db, clock.now() - maxAgeMs),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
