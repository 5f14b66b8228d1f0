import type { Clock } from "../../src/clock.js";

/** A clock tests move by hand instead of sleeping. */
export interface SteppableClock extends Clock {
  advance(milliseconds: number): void;
  advanceSeconds(seconds: number): void;
}

export function createSteppableClock(start = Date.UTC(2026, 10, 25, 9, 0, 0)): SteppableClock {
  let current = start;
  return {
    now: () => current,
    advance(milliseconds) {
      current += milliseconds;
    },
    advanceSeconds(seconds) {
      current += seconds * 1000;
    },
  };
}
