import type { FastifyBaseLogger } from "fastify";
import type { Kysely, Selectable } from "kysely";
import type { Db } from "./database.js";
import type { Database } from "./tables.js";

/**
 * Durable work queues in SQL (the mail outbox, webhook deliveries): rows are claimed with a
 * lease, delivered, then marked sent, rescheduled with back-off, or failed. The lease is one
 * conditional UPDATE (with FOR UPDATE SKIP LOCKED on PostgreSQL), so two workers or two
 * instances never hold one row at once, and a worker that dies (SIGKILL, OOM, power loss)
 * leaves rows that become due again when its lease runs out.
 */

export type QueueTable = "mail_outbox" | "webhook_deliveries";

/** The columns every queue table shares. */
interface QueueColumns {
  id: string;
  attempts: number;
  next_attempt_at: number;
  locked_until: number | null;
  sent_at: number | null;
  failed_at: number | null;
  error: string | null;
}

type QueueDb = Kysely<Record<QueueTable, QueueColumns>>;
const asQueue = (db: Db) => db as unknown as QueueDb;

export type QueueRow<T extends QueueTable> = Selectable<Database[T]>;

/** Claims up to `limit` due rows for `leaseMs`, counting the attempt; returns them whole. */
export async function claimDueRows<T extends QueueTable>(
  db: Db,
  table: T,
  {
    now,
    leaseMs,
    limit,
    dialect,
  }: { now: number; leaseMs: number; limit: number; dialect: "sqlite" | "postgres" },
): Promise<QueueRow<T>[]> {
  const queue = asQueue(db);
  const tableName = table as QueueTable;
  function dueQuery() {
    return queue
      .selectFrom(tableName)
      .select("id")
      .where("sent_at", "is", null)
      .where("failed_at", "is", null)
      .where("next_attempt_at", "<=", now)
      .where((where) => where.or([where("locked_until", "is", null), where("locked_until", "<", now)]))
      .orderBy("next_attempt_at")
      .limit(limit);
  }
  const candidates = dialect === "postgres" ? dueQuery().forUpdate().skipLocked() : dueQuery();
  const rows = await queue
    .updateTable(tableName)
    .set((set) => ({ locked_until: now + leaseMs, attempts: set("attempts", "+", 1) }))
    .where("id", "in", candidates)
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .where((where) => where.or([where("locked_until", "is", null), where("locked_until", "<", now)]))
    .returningAll()
    .execute();
  return rows as unknown as QueueRow<T>[];
}

/** Extends this worker's leases on rows still in flight (not yet sent, failed or rescheduled). */
export async function renewRowLeases(db: Db, table: QueueTable, ids: string[], lockedUntil: number) {
  if (ids.length === 0) return;
  await asQueue(db)
    .updateTable(table)
    .set({ locked_until: lockedUntil })
    .where("id", "in", ids)
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .where("locked_until", "is not", null)
    .execute();
}

export async function scheduleRowRetry(
  db: Db,
  table: QueueTable,
  id: string,
  nextAttemptAt: number,
  error: string,
): Promise<void> {
  await asQueue(db)
    .updateTable(table)
    .set({ next_attempt_at: nextAttemptAt, locked_until: null, error })
    .where("id", "=", id)
    .execute();
}

export async function markRowFailed(db: Db, table: QueueTable, id: string, now: number, error: string) {
  await asQueue(db)
    .updateTable(table)
    .set({ failed_at: now, locked_until: null, error })
    .where("id", "=", id)
    .execute();
}

/** Makes every row waiting out a back-off due now; returns how many. */
export async function releaseRowRetries(db: Db, table: QueueTable, now: number): Promise<number> {
  const result = await asQueue(db)
    .updateTable(table)
    .set({ next_attempt_at: now })
    .where("sent_at", "is", null)
    .where("failed_at", "is", null)
    .where("attempts", ">", 0)
    .where("next_attempt_at", ">", now)
    .where((where) => where.or([where("locked_until", "is", null), where("locked_until", "<", now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** base, 2×base, 4×base … capped at max, with ±20 % jitter so retries from many rows spread out. */
export function backoffMs(attempts: number, { baseMs, maxMs }: BackoffPolicy): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}

export interface LeasedWorkerOptions<Entry extends { id: string }> {
  /** What the worker is called in its log lines. */
  name: string;
  log: FastifyBaseLogger;
  leaseMs: number;
  leaseRenewMs: number;
  batch: number;
  /** Poll interval while idle; `wake()` starts a drain at once. */
  pollIntervalMs: number;
  claim(now: number): Promise<Entry[]>;
  renew(ids: string[], lockedUntil: number): Promise<void>;
  /** One attempt; it records its own outcome (sent, retry, failed). */
  deliver(entry: Entry): Promise<void>;
  now(): number;
}

const MAX_PARALLEL_DRAINS = 4;

/**
 * The polling loop over a leased queue. Drains run side by side so new work never waits for
 * a slow batch; leases keep them apart, and are renewed while a row is being delivered.
 */
export function createLeasedWorker<Entry extends { id: string }>(options: LeasedWorkerOptions<Entry>) {
  const { log } = options;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let isStopping = false;
  let wakeRequested = false;
  const drains = new Set<Promise<void>>();
  /** Rows handed over by `deliverLeasedNow`, apart from the drains, which bound only claims. */
  const directDeliveries = new Set<Promise<void>>();

  async function deliverLeased(entries: Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const inFlight = new Set(entries.map((entry) => entry.id));
    const renewal = setInterval(() => {
      options.renew([...inFlight], options.now() + options.leaseMs).catch((error: unknown) => {
        log.warn({ err: error }, `${options.name} could not renew its leases`);
      });
    }, options.leaseRenewMs);
    renewal.unref();
    try {
      await Promise.all(
        entries.map(async (entry) => {
          try {
            await options.deliver(entry);
          } finally {
            inFlight.delete(entry.id);
          }
        }),
      );
    } finally {
      clearInterval(renewal);
    }
  }

  /** Delivers every due row once; returns how many were claimed. */
  async function deliverDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const entries = await options.claim(options.now());
      total += entries.length;
      await deliverLeased(entries);
      // At shutdown, finish the claimed batch and leave the rest to the other instances or the next start.
      if (entries.length < options.batch || isStopping) return total;
    }
  }

  async function drainOnce(): Promise<void> {
    do {
      wakeRequested = false;
      try {
        await deliverDue();
      } catch (error) {
        log.warn({ err: error }, `${options.name} could not reach the database; will retry`);
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
      if (drains.size === 0) schedule(options.pollIntervalMs);
    });
    drains.add(drain);
  }

  return {
    deliverDue,
    isRunning: () => running,
    /**
     * Delivers rows this instance leased when it wrote them, without claiming them again.
     * When the worker has stopped meanwhile, their leases run out and a claim takes them.
     */
    deliverLeasedNow(entries: Entry[]) {
      if (!running) return;
      const delivery: Promise<void> = deliverLeased(entries)
        .catch((error: unknown) => {
          log.warn({ err: error }, `${options.name} could not reach the database; will retry`);
        })
        .finally(() => directDeliveries.delete(delivery));
      directDeliveries.add(delivery);
    },
    /** Starts a drain now (after a commit), or asks the running drain to go round again. */
    wake() {
      if (running) tick();
    },
    /** Asks the drain in progress for one more pass once it is done. */
    requestAnotherPass() {
      wakeRequested = true;
    },
    start() {
      if (running) return;
      running = true;
      isStopping = false;
      schedule(0);
    },
    /** Stops polling and waits for the batch in flight, so no claimed row is left leased. */
    async stop() {
      running = false;
      isStopping = true;
      clearTimeout(timer);
      await Promise.all([...drains, ...directDeliveries]);
    },
  };
}
