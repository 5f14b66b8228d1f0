import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { Db } from "./db/database.js";
import type { Outbox } from "./mail/outbox.js";
import { deleteOldCeremonyChallenges } from "./passkeys/index.js";
import { deleteExpiredChallenges } from "./passwordless/challenge-store.js";
import type { AuditLog } from "./security/audit.js";
import { pruneCodeFailures } from "./security/code-failure-budget.js";
import { pruneRateLimits } from "./security/rate-limit.js";
import { deleteEndedSessions, type SigningKeys } from "./sessions/index.js";

const DAY_MS = 86_400_000;
const CLEANUP_MS = 10 * 60_000;

export interface MaintenanceOptions {
  log: FastifyBaseLogger;
  keys: SigningKeys;
  outbox: Outbox;
  audit: AuditLog;
  db: Db;
  clock: Clock;
  config: Config;
}

/** Deletes what no longer matters: expired challenges, ended sessions, old audit rows and windows. */
export async function cleanUp({ keys, outbox, audit, db, clock, config }: Omit<MaintenanceOptions, "log">) {
  const dayAgo = clock.now() - DAY_MS;
  await keys.pruneRetired();
  await deleteExpiredChallenges(db, dayAgo);
  await deleteOldCeremonyChallenges(db, dayAgo);
  await deleteEndedSessions(db, dayAgo);
  await pruneRateLimits(db, dayAgo);
  await pruneCodeFailures(db, clock.now());
  await outbox.wipeStaleMessages(DAY_MS);
  await audit.prune(config.auditRetentionDays);
}

/**
 * Periodic work on every instance: picks up keys rotated elsewhere (and rotates when
 * due), and cleans up. Each step tolerates a database outage and tries again later.
 */
export function createMaintenance(options: MaintenanceOptions) {
  const timers: NodeJS.Timeout[] = [];
  const guard = (name: string, task: () => Promise<unknown>) => async () => {
    try {
      await task();
    } catch (error) {
      options.log.warn({ err: error, task: name }, "maintenance task failed; will retry");
    }
  };
  const every = (ms: number, task: () => Promise<void>) => {
    const timer = setInterval(task, ms);
    timer.unref();
    timers.push(timer);
  };
  return {
    start() {
      every(
        options.config.tokens.keyReloadSeconds * 1000,
        guard("keys", () => options.keys.ensureCurrent()),
      );
      const cleanup = guard("cleanup", () => cleanUp(options));
      every(CLEANUP_MS, cleanup);
      void cleanup();
    },
    stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
    },
  };
}
