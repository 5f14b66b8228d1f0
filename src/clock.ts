/** Time is a dependency so tests can travel instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function secondsFromNow(clock: Clock, seconds: number): number {
  return clock.now() + seconds * 1000;
}
