import { describe, expect, it } from "vitest";
import { counterDelta, parseCommandStats } from "../../bench/costs.mjs";
import { ceilings, MACHINE_CORES, POSTGRES_CORES } from "../../bench/scaling.mjs";

describe("service counters", () => {
  it("reads the calls per command from INFO commandstats", () => {
    const info =
      "# Commandstats\r\ncmdstat_get:calls=12,usec=30,usec_per_call=2.50,rejected_calls=0,failed_calls=0\r\n" +
      "cmdstat_evalsha:calls=3,usec=90,usec_per_call=30.00\r\n";
    expect(parseCommandStats(info)).toEqual({ get: 12, evalsha: 3 });
  });

  it("keeps only the counters that moved, including ones that appeared", () => {
    expect(counterDelta({ get: 12, set: 4 }, { get: 15, set: 4, del: 2 })).toEqual({ get: 3, del: 2 });
  });
});

describe("scaling on paper", () => {
  it("turns CPU per operation into operations per second on one core and on one machine", () => {
    const result = ceilings({ serverUs: 2000, postgresUs: 500, redisUs: 50 });
    expect(result.oneCore).toBe(500);
    expect(result.oneMachine).toBe(500 * MACHINE_CORES);
    expect(result.postgres).toBe(2000 * POSTGRES_CORES);
    expect(result.redis).toBe(20_000);
  });

  it("names the shared service that runs out first and how many instances reach it", () => {
    const result = ceilings({ serverUs: 2000, postgresUs: 500, redisUs: 50 });
    expect(result.clusterLimit).toBe("PostgreSQL CPU");
    expect(result.cluster).toBe(8000);
    expect(result.instancesToSaturate).toBe(16);
    expect(ceilings({ serverUs: 2000, postgresUs: 50, redisUs: 500 }).clusterLimit).toBe("Redis CPU");
  });

  it("has no shared ceiling for an operation that uses neither service", () => {
    const result = ceilings({ serverUs: 20, postgresUs: 0, redisUs: 0 });
    expect(result.cluster).toBe(Number.POSITIVE_INFINITY);
    expect(result.instancesToSaturate).toBe(Number.POSITIVE_INFINITY);
  });
});
