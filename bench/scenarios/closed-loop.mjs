// Closed-loop virtual users: each repeats an operation as soon as the previous one finished.
import { createPhaseTimes, percentile } from "../stats.mjs";

export const VIRTUAL_USERS = 16;
// A safety cap on count; at realistic rates the run ends on time.
const MAX_OPERATIONS_PER_SECOND = 5_000;

/**
 * Runs `operation(vu)` in `virtualUsers` loops for `durationS`. Resolves with the rate of completed
 * operations, p50/p99 per operation, and errors. `operation` may resolve with per-phase timings.
 */
export async function runClosedLoop({ durationS, operation, virtualUsers = VIRTUAL_USERS }) {
  const deadline = performance.now() + durationS * 1000;
  const maxOperations = Math.ceil(durationS * MAX_OPERATIONS_PER_SECOND);
  const latencies = [];
  const phaseTimes = createPhaseTimes();
  const failures = [];
  let started = 0;

  async function virtualUser(vu) {
    while (performance.now() < deadline && started < maxOperations) {
      started++;
      const begin = performance.now();
      try {
        const phases = await operation(vu);
        latencies.push(performance.now() - begin);
        phaseTimes.add(phases);
      } catch (error) {
        failures.push(error.message);
      }
    }
  }

  const begin = performance.now();
  await Promise.all(Array.from({ length: virtualUsers }, (_, vu) => virtualUser(vu)));
  const elapsedS = (performance.now() - begin) / 1000;
  return {
    count: latencies.length,
    rate: latencies.length / elapsedS,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    phaseP50: phaseTimes.at(0.5),
    errors: failures.length,
    firstError: failures[0],
  };
}
