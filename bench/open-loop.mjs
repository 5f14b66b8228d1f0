// Open-loop load: requests arrive at a fixed rate whatever the server does, and every latency is
// measured from the request's INTENDED start, so a stalled server is charged for the requests it
// made wait (no coordinated omission).
import { percentile } from "./stats.mjs";

// Arrival rates as shares of the closed-loop capacity, and the latency bound of the rate search.
export const OPEN_LOOP_SHARES = [0.5, 0.8, 1];
export const P99_LIMIT_MS = 100;
const TICK_MS = 1;
// After the last arrival, requests still queued or in flight get this long before the run ends without them.
const DRAIN_TIMEOUT_MS = 5_000;

/** When the i-th request (0-based) of a run starting at `startMs` at `rate` per second is due. */
export function intendedStartMs(startMs, rate, i) {
  return startMs + (i * 1000) / rate;
}

/** How many requests are due by `nowMs`: those whose intended start is at or before it. */
export function dueCount(startMs, rate, nowMs) {
  if (nowMs < startMs) return 0;
  return Math.floor(((nowMs - startMs) * rate) / 1000) + 1;
}

/** p50/p99/p99.9 and the rest of one open-loop run's numbers from its latencies. */
export function summarizeOpenLoop({
  latencies,
  offered,
  incomplete = 0,
  errors,
  firstError,
  elapsedS,
  rate,
}) {
  return {
    rate,
    offered,
    incomplete,
    count: latencies.length,
    achievedRate: latencies.length / elapsedS,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    p999: percentile(latencies, 0.999),
    errors,
    firstError,
  };
}

/**
 * Issues `issue()` at `rate` per second for `durationS` (and at most `maxCount` times), with at most
 * `maxInFlight` outstanding: an arrival finding every slot taken waits in a queue, and that wait is
 * part of its latency. `issue` resolves when the request completed correctly and rejects otherwise.
 */
export async function runOpenLoop({
  rate,
  durationS,
  maxCount = Math.ceil(rate * durationS),
  maxInFlight,
  issue,
  now = () => performance.now(),
  drainTimeoutMs = DRAIN_TIMEOUT_MS,
}) {
  const total = Math.min(maxCount, Math.max(1, Math.floor(rate * durationS)));
  const latencies = [];
  let errors = 0;
  let firstError;
  // Requests [started, due) are due and waiting for a slot; their intended starts follow from the index.
  let due = 0;
  let started = 0;
  let inFlight = 0;
  let settled = 0;
  const startMs = now();

  return new Promise((resolve) => {
    let drainTimer;
    let isFinished = false;
    const finish = () => {
      if (isFinished) return;
      isFinished = true;
      clearTimeout(drainTimer);
      // Not completed: still in flight, or never sent because every slot stayed busy. Neither is an
      // error by itself (a hung request fails through its own timeout); both mean the rate did not hold.
      const elapsedS = (now() - startMs) / 1000;
      const incomplete = total - settled;
      resolve(
        summarizeOpenLoop({ latencies, offered: total, incomplete, errors, firstError, elapsedS, rate }),
      );
    };
    const onSettled = () => {
      settled++;
      inFlight--;
      startWaiting();
      if (settled === total) finish();
    };
    const start = (intended) => {
      inFlight++;
      issue().then(
        () => {
          latencies.push(now() - intended);
          onSettled();
        },
        (error) => {
          errors++;
          firstError ??= error?.message ?? String(error);
          onSettled();
        },
      );
    };
    function startWaiting() {
      // Once the run is over nothing more is sent: leftovers would spill into the next run.
      while (!isFinished && started < due && inFlight < maxInFlight) {
        start(intendedStartMs(startMs, rate, started++));
      }
    }
    const tick = () => {
      due = Math.min(total, dueCount(startMs, rate, now()));
      startWaiting();
      if (due < total) setTimeout(tick, TICK_MS);
      else if (settled < total) drainTimer = setTimeout(finish, drainTimeoutMs);
    };
    tick();
  });
}

/** True when a run at its offered rate kept p99 under the limit, without errors or falling behind. */
export function holds(run, p99LimitMs) {
  return run.errors === 0 && !run.incomplete && run.p99 < p99LimitMs && run.achievedRate >= 0.95 * run.rate;
}

/**
 * The highest rate that holds, in `steps` runs of `measure(rate)`: from `low` up by bisection
 * towards `high`. When `low` itself misses, the search halves the rate until one holds (one
 * unlucky stall at the floor must not read as "holds nothing"), then bisects between the two.
 * Resolves with the best rate that held (or null when none did) and every probe made.
 */
export async function searchMaxRate({ low, high, steps, p99LimitMs, measure }) {
  const probes = [];
  let best = null;
  let lo = low;
  let hi = high;
  for (let step = 0; step < steps; step++) {
    const rate = best === null ? lo : Math.round((lo + hi) / 2);
    const run = await measure(rate);
    const ok = holds(run, p99LimitMs);
    probes.push({ rate, p99: run.p99, errors: run.errors, achievedRate: run.achievedRate, holds: ok });
    if (ok) {
      best = Math.max(best ?? 0, rate);
      lo = rate;
    } else {
      hi = rate;
      if (best === null) {
        lo = Math.floor(rate / 2);
        if (lo < 1) break; // not even 1/s holds
        continue;
      }
    }
    if (hi - lo < Math.max(1, lo * 0.02)) break;
  }
  return { maxRate: best, probes };
}
