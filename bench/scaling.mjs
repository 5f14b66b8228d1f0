// Scaling on paper: what the measured CPU per operation allows on more cores and instances, and which
// resource runs out first. Pure arithmetic over the run's numbers; the assumptions are in BENCHMARKS.md.

export const MACHINE_CORES = 4;
export const POSTGRES_CORES = 4;
export const REDIS_CORES = 1; // Redis executes commands on one thread
const MICROS_PER_SECOND = 1e6;

const perSecond = (cpuUs) => (cpuUs > 0 ? MICROS_PER_SECOND / cpuUs : Number.POSITIVE_INFINITY);

/**
 * The ceilings for one kind of operation: `serverUs` is Latchkey's CPU per operation, `postgresUs`
 * and `redisUs` what the operation costs those services (0 or undefined: it does not use them).
 */
export function ceilings({ serverUs, postgresUs, redisUs }) {
  const perCore = perSecond(serverUs);
  const postgres = POSTGRES_CORES * perSecond(postgresUs ?? 0);
  const redis = REDIS_CORES * perSecond(redisUs ?? 0);
  const shared = Math.min(postgres, redis);
  return {
    oneCore: perCore,
    oneMachine: MACHINE_CORES * perCore,
    postgres,
    redis,
    // Instances (one core each) it takes until PostgreSQL or Redis is the limit.
    instancesToSaturate: Number.isFinite(shared) ? Math.ceil(shared / perCore) : Number.POSITIVE_INFINITY,
    cluster: shared,
    clusterLimit: postgres <= redis ? "PostgreSQL CPU" : "Redis CPU",
  };
}

/** Rows for the logins and session checks of the run's PostgreSQL + Redis target. */
export function scalingRows({ login, session }) {
  return [
    { operation: "logins/s", ...ceilings(login) },
    { operation: "session checks/s", ...ceilings(session) },
  ];
}
