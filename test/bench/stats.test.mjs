import { describe, expect, it } from "vitest";
import { createPhaseTimes } from "../../bench/stats.mjs";

describe("phase times", () => {
  it("gives each phase its own percentile over every operation that reported it", () => {
    const times = createPhaseTimes();
    for (let i = 1; i <= 100; i++) times.add({ send: i, mail: 1000 + i });
    times.add(undefined);
    expect(times.at(0.5)).toEqual({ send: 50, mail: 1050 });
    expect(times.at(0.99)).toEqual({ send: 99, mail: 1099 });
  });

  it("has no percentiles when no operation reported phases", () => {
    expect(createPhaseTimes().at(0.5)).toBeUndefined();
  });
});
