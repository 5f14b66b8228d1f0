import { describe, expect, it } from "vitest";
import { dueCount, holds, intendedStartMs, runOpenLoop, searchMaxRate } from "../../bench/open-loop.mjs";
import { percentile } from "../../bench/stats.mjs";

const resolved = () => Promise.resolve();
const resolveAfter = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe("open-loop arrivals", () => {
  it("schedules the i-th request at i / rate after the start", () => {
    expect(intendedStartMs(1000, 200, 0)).toBe(1000);
    expect(intendedStartMs(1000, 200, 3)).toBe(1015);
  });

  it("counts a request as due from its intended start on", () => {
    expect(dueCount(1000, 200, 999)).toBe(0);
    expect(dueCount(1000, 200, 1000)).toBe(1);
    expect(dueCount(1000, 200, 1014.9)).toBe(3);
    expect(dueCount(1000, 200, 1015)).toBe(4);
  });
});

describe("open-loop latency", () => {
  it("charges a server stall to every request that had to wait for it (no coordinated omission)", async () => {
    // One slot, 100 requests/s for 0.3 s; the first answer takes 250 ms, the others are instant.
    // The ~25 requests due during the stall wait for it: measured from their intended starts,
    // half the requests are slow. Measured from when they were sent, only one would be.
    let calls = 0;
    const run = await runOpenLoop({
      rate: 100,
      durationS: 0.3,
      maxInFlight: 1,
      issue: () => (++calls === 1 ? resolveAfter(250) : resolved()),
    });
    expect(run.count).toBe(30);
    expect(run.errors).toBe(0);
    expect(run.p50).toBeGreaterThanOrEqual(80);
    expect(run.p99).toBeGreaterThanOrEqual(240);
  });

  it("reports small latencies when the server keeps up", async () => {
    const run = await runOpenLoop({ rate: 200, durationS: 0.2, maxInFlight: 8, issue: resolved });
    expect(run.count).toBe(40);
    expect(run.p99).toBeLessThan(50);
  });

  it("stops at maxCount even when the duration allows more", async () => {
    let calls = 0;
    const run = await runOpenLoop({
      rate: 1000,
      durationS: 60,
      maxCount: 5,
      maxInFlight: 8,
      issue: () => {
        calls++;
        return resolved();
      },
    });
    expect(calls).toBe(5);
    expect(run.offered).toBe(5);
  });

  it("counts failed requests as errors and unfinished ones as incomplete", async () => {
    let calls = 0;
    const run = await runOpenLoop({
      rate: 100,
      durationS: 0.05,
      maxInFlight: 8,
      drainTimeoutMs: 50,
      issue: () => (++calls === 1 ? Promise.reject(new Error("503")) : new Promise(() => {})),
    });
    expect(run.offered).toBe(5);
    expect(run.count).toBe(0);
    expect(run.errors).toBe(1);
    expect(run.firstError).toBe("503");
    expect(run.incomplete).toBe(4);
  });

  it("sends nothing more once the run is over", async () => {
    // One slot; the first request outlives the drain timeout, and when it returns the 4 behind it stay unsent.
    let calls = 0;
    const run = await runOpenLoop({
      rate: 100,
      durationS: 0.05,
      maxInFlight: 1,
      drainTimeoutMs: 30,
      issue: () => {
        calls++;
        return resolveAfter(100);
      },
    });
    await resolveAfter(150);
    expect(run.incomplete).toBe(5);
    expect(calls).toBe(1);
  });
});

describe("percentiles", () => {
  const oneToThousand = Array.from({ length: 1000 }, (_, i) => i + 1);

  it("takes the nearest rank", () => {
    expect(percentile(oneToThousand, 0.5)).toBe(500);
    expect(percentile(oneToThousand, 0.99)).toBe(990);
    expect(percentile(oneToThousand, 0.999)).toBe(999);
    expect(percentile([7], 0.999)).toBe(7);
  });

  it("is undefined (NaN) without samples", () => {
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe("highest rate with p99 under the limit", () => {
  const serverHolding = (maxRate) => async (rate) => ({
    rate,
    achievedRate: rate,
    errors: 0,
    p99: rate <= maxRate ? 20 : 500,
  });
  /** The search against a server whose p99 stays under 100 ms up to `holdsUpTo` requests a second. */
  const search = ({ low = 100, high = 1000, steps, holdsUpTo }) =>
    searchMaxRate({ low, high, steps, p99LimitMs: 100, measure: serverHolding(holdsUpTo) });

  it("finds the knee by bisection, never above it", async () => {
    const { maxRate, probes } = await search({ steps: 10, holdsUpTo: 300 });
    expect(maxRate).toBeLessThanOrEqual(300);
    expect(maxRate).toBeGreaterThanOrEqual(290);
    expect(probes.length).toBeLessThanOrEqual(10);
  });

  it("looks below the lowest rate when that one misses the limit, then bisects up to the knee", async () => {
    const { maxRate, probes } = await search({ steps: 8, holdsUpTo: 70 });
    expect(probes.slice(0, 2).map((probe) => [probe.rate, probe.holds])).toEqual([
      [100, false],
      [50, true],
    ]);
    expect(maxRate).toBeGreaterThanOrEqual(65);
    expect(maxRate).toBeLessThanOrEqual(70);
  });

  it("reports none when no rate it could try within its steps holds", async () => {
    const { maxRate, probes } = await search({ steps: 3, holdsUpTo: 10 });
    expect(maxRate).toBeNull();
    expect(probes.map((probe) => probe.rate)).toEqual([100, 50, 25]);
  });

  it("stops halving below one request a second", async () => {
    const { maxRate, probes } = await search({ low: 2, high: 10, steps: 10, holdsUpTo: 0 });
    expect(maxRate).toBeNull();
    expect(probes.map((probe) => probe.rate)).toEqual([2, 1]);
  });

  it("does not count a rate the server fell behind on or answered with errors", () => {
    expect(holds({ rate: 100, achievedRate: 100, errors: 0, p99: 20 }, 100)).toBe(true);
    expect(holds({ rate: 100, achievedRate: 80, errors: 0, p99: 20 }, 100)).toBe(false);
    expect(holds({ rate: 100, achievedRate: 100, errors: 1, p99: 20 }, 100)).toBe(false);
    expect(holds({ rate: 100, achievedRate: 100, errors: 0, p99: 100 }, 100)).toBe(false);
    expect(holds({ rate: 100, achievedRate: 100, errors: 0, incomplete: 1, p99: 20 }, 100)).toBe(false);
  });
});
