import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { AppError } from "../errors.js";
import type { AuditLog } from "../security/audit.js";
import { decrypt, encrypt, randomId } from "../security/crypto.js";
import {
  claimDueEntries,
  countPending,
  insertOutboxEntry,
  markFailed,
  markSent,
  type OutboxEntry,
  readOutboxStatus,
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

const LEASE_MS = 60_000;
const BATCH = 20;
const BASE_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 10 * 60_000;

/** 2 s, 4 s, 8 s … capped at 10 min, with ±20 % jitter so retries from many rows spread out. */
export function backoffMs(attempts: number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}

function describeError(error: unknown): string {
  const text =
    error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : "error";
  return text.slice(0, 300);
}

export function createOutbox(options: OutboxOptions) {
  const { db, clock, transport, audit, log } = options;
  const appName = options.appName ?? "Latchkey";
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let draining: Promise<void> | undefined;
  let wakeRequested = false;

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

  async function deliver(entry: OutboxEntry): Promise<void> {
    const now = clock.now();
    try {
      const intent = JSON.parse(decrypt(options.outboxKey, entry.sealedMessage)) as SignInMailIntent;
      const rendered = renderSignInMail({ ...intent, appName });
      await transport.send({ ...rendered, to: entry.recipient, code: intent.code, link: intent.link });
      await markSent(db, entry.id, clock.now());
      options.onDelivered?.("sent");
      await audit.record({ type: "mail_sent", detail: { attempts: entry.attempts } });
    } catch (error) {
      const reason = describeError(error);
      if (entry.attempts >= options.maxAttempts) {
        await markFailed(db, entry.id, now, reason);
        options.onDelivered?.("failed");
        log.error({ outboxId: entry.id, attempts: entry.attempts, reason }, "mail permanently failed");
        await audit.record({ type: "mail_failed", detail: { attempts: entry.attempts, reason } });
      } else {
        await scheduleRetry(db, entry.id, now + backoffMs(entry.attempts), reason);
        options.onDelivered?.("retry");
        log.warn(
          { outboxId: entry.id, attempts: entry.attempts, reason },
          "mail delivery failed; will retry",
        );
      }
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
      await Promise.all(entries.map((entry) => deliver(entry)));
      if (entries.length < BATCH) return total;
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
    if (draining) {
      wakeRequested = true;
      return;
    }
    draining = drainOnce().finally(() => {
      draining = undefined;
      schedule(options.pollIntervalMs ?? 1000);
    });
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
      schedule(0);
    },
    /** Stops polling and waits for the delivery in flight. */
    async stop() {
      running = false;
      clearTimeout(timer);
      await draining;
    },
    status: () => readOutboxStatus(db),
    retryFailed: () => retryFailed(db, clock.now()),
    wipeStaleMessages: (maxAgeMs: number) => wipeStaleMessages(db, clock.now() - maxAgeMs),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
