import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { backoffMs, createLeasedWorker } from "../db/leased-queue.js";
import { AppError } from "../errors.js";
import type { AuditLog } from "../security/audit.js";
import { decrypt, encrypt, keyedHash, randomId } from "../security/crypto.js";
import { withTimeout } from "../timeout.js";
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
import type { MailRenderer, SignInMailContent } from "./templates.js";
import { isPermanentDeliveryError, type MailTransport, type SendResult } from "./transports.js";

export interface SignInMailIntent extends SignInMailContent {
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
  renderer: MailRenderer;
  /** The recipient account's stored language, which beats the one the request negotiated. */
  storedLocaleFor?: (email: string) => Promise<string | null>;
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
/** 2 s, 4 s, 8 s … capped at 10 min. */
const MAIL_BACKOFF = { baseMs: 2_000, maxMs: 10 * 60_000 };

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

/** A mail queued in a transaction; `leasedEntry` when this instance sends it itself. */
export interface QueuedMail {
  leasedEntry: OutboxEntry | undefined;
}

export function createOutbox(options: OutboxOptions) {
  const hashRecipient = (recipient: string) => keyedHash(options.emailKey, recipient);
  const { db, clock, transport, audit, log } = options;
  /** Set by a failed delivery; the next success then releases the back-off of the waiting mail. */
  let hasFailedSinceSuccess = false;

  /**
   * Queues the sign-in mail inside the caller's transaction, so a challenge never exists
   * without its mail or the reverse. Throws `mail_unavailable` when the queue is full.
   * Hand what it returns to `dispatch` once the transaction has committed.
   *
   * While the worker runs, the row is written already leased to this instance, so the mail
   * leaves right after the commit instead of waiting for a claim, which is a write and a
   * commit of its own. If the instance dies first, the lease runs out and any instance
   * claims the row, as it would a claimed one.
   */
  async function enqueueSignInMail(executor: Db, intent: SignInMailIntent): Promise<QueuedMail> {
    if ((await countPending(executor)) >= options.maxPending) throw new AppError("mail_unavailable");
    const now = clock.now();
    const leased = worker.isRunning();
    const entry: OutboxEntry = {
      id: randomId(),
      recipient: intent.to,
      sealedMessage: encrypt(options.outboxKey, JSON.stringify(intent)),
      attempts: leased ? 1 : 0,
      authRequestId: intent.authRequestId,
    };
    await insertOutboxEntry(executor, { ...entry, lockedUntil: leased ? now + LEASE_MS : null, now });
    return { leasedEntry: leased ? entry : undefined };
  }

  /**
   * After the enqueueing transaction commits: sends the mail leased at insert, or wakes the
   * worker. On the next turn of the event loop, so nothing of the delivery (its lookup of the
   * recipient's language among it) runs before the request is answered.
   */
  function dispatch(queued: QueuedMail | undefined): void {
    const entry = queued?.leasedEntry;
    setImmediate(() => (entry ? worker.deliverLeasedNow([entry]) : worker.wake()));
  }

  async function recordFailure(entry: OutboxEntry, failedAt: number, error: unknown): Promise<void> {
    const reason = describeError(error);
    // A bad or suppressed address fails the same way on every retry: give up at once.
    if (entry.attempts >= options.maxAttempts || isPermanentDeliveryError(error)) {
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
    await scheduleRetry(db, entry.id, failedAt + backoffMs(entry.attempts, MAIL_BACKOFF), reason);
    options.onDelivered?.("retry");
    log.warn({ outboxId: entry.id, attempts: entry.attempts, reason }, "mail delivery failed; will retry");
  }

  /** The mail server took a message after failures: the mail waiting out its back-off goes now. */
  async function releaseWaitingMail(): Promise<void> {
    if (!hasFailedSinceSuccess) return;
    hasFailedSinceSuccess = false;
    try {
      if ((await releaseRetries(db, clock.now())) > 0) worker.requestAnotherPass();
    } catch (error) {
      log.warn({ err: error }, "outbox could not release the mail waiting for a retry");
    }
  }

  /** One attempt. Only a failed send counts as a failed attempt; bookkeeping errors after it do not. */
  async function deliver(entry: OutboxEntry): Promise<void> {
    const startedAt = clock.now();
    // biome-ignore lint/suspicious/noConfusingVoidType: what MailTransport.send resolves to.
    let accepted: SendResult | void;
    try {
      const intent = JSON.parse(decrypt(options.outboxKey, entry.sealedMessage)) as SignInMailIntent;
      // Looked up here, off the request path: the send answers the same for every address.
      const storedLocale = await options.storedLocaleFor?.(entry.recipient);
      const rendered = options.renderer.render(intent, storedLocale ?? intent.locale ?? "en");
      accepted = await withTimeout(
        transport.send({ ...rendered, to: entry.recipient, code: intent.code, link: intent.link }),
        SEND_TIMEOUT_MS,
        () => new Error(`mail delivery timed out after ${SEND_TIMEOUT_MS} ms`),
      );
    } catch (error) {
      await recordFailure(entry, startedAt, error);
      return;
    }
    // If this write fails (database down) the lease runs out and the mail is sent again: at least once.
    await recordSent(entry, accepted?.providerMessageId);
    options.onDelivered?.("sent");
    await releaseWaitingMail();
  }

  /**
   * Marks the mail sent and writes its audit row in one commit. The row is best effort:
   * when it cannot be written the mark is written alone, since mail left unmarked goes again.
   */
  async function recordSent(entry: OutboxEntry, providerMessageId: string | undefined): Promise<void> {
    const sentAt = clock.now();
    const event = {
      type: "mail_sent",
      emailHash: hashRecipient(entry.recipient),
      detail: { attempts: entry.attempts },
    } as const;
    try {
      await db.transaction().execute(async (tx) => {
        await markSent(tx, entry.id, sentAt, providerMessageId);
        await audit.record(event, tx);
      });
    } catch (error) {
      log.warn({ err: error }, "could not audit a sent mail");
      await markSent(db, entry.id, sentAt, providerMessageId);
    }
  }

  const worker = createLeasedWorker<OutboxEntry>({
    name: "outbox worker",
    log,
    leaseMs: LEASE_MS,
    leaseRenewMs: LEASE_RENEW_MS,
    batch: BATCH,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    now: () => clock.now(),
    claim: (now) => claimDueEntries(db, { now, leaseMs: LEASE_MS, limit: BATCH, dialect: options.dialect }),
    renew: (ids, lockedUntil) => renewLeases(db, ids, lockedUntil),
    deliver,
  });

  return {
    enqueueSignInMail,
    dispatch,
    deliverDue: worker.deliverDue,
    start: worker.start,
    /** Stops polling and waits for the batch in flight, so no claimed message is left leased. */
    stop: worker.stop,
    status: () => readOutboxStatus(db),
    retryFailed: () => retryFailed(db, clock.now()),
    wipeStaleMessages: (maxAgeMs: number) => wipeStaleMessages(db, clock.now() - maxAgeMs),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
