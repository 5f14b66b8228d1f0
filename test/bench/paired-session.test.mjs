import { describe, expect, it } from "vitest";
import { pairedShares, runPairedRounds } from "../../bench/paired-session.mjs";
import { renderPairedSession } from "../../bench/report.mjs";

describe("session checks measured in alternating rounds", () => {
  it("measures every server once per round, in turn", async () => {
    const order = [];
    const rounds = await runPairedRounds({
      entries: [{ name: "bare" }, { name: "latchkey" }],
      rounds: 2,
      measure: async (entry) => {
        order.push(entry.name);
        return { rate: 1, cpuPerOpUs: 1 };
      },
    });
    expect(order).toEqual(["bare", "latchkey", "bare", "latchkey"]);
    expect(rounds).toHaveLength(2);
  });

  it("takes the share within each round, so a host that slows down between rounds does not move it", () => {
    // The host is twice as slow in the second and third rounds: every server's CPU per check doubles.
    const rounds = [
      { bare: { rate: 40_000, cpuPerOpUs: 15 }, latchkey: { rate: 16_000, cpuPerOpUs: 50 } },
      { bare: { rate: 20_000, cpuPerOpUs: 30 }, latchkey: { rate: 8_000, cpuPerOpUs: 100 } },
      { bare: { rate: 20_000, cpuPerOpUs: 30 }, latchkey: { rate: 8_000, cpuPerOpUs: 100 } },
    ];
    const { latchkey } = pairedShares(rounds, "bare");
    expect(latchkey.byCpu).toBeCloseTo(30);
    expect(latchkey.byRate).toBeCloseTo(40);
    expect(latchkey.perRoundByCpu.map(Math.round)).toEqual([30, 30, 30]);
    expect(latchkey.cpuPerOpUs).toBe(100);
    expect(latchkey.baselineCpuPerOpUs).toBe(30);
  });
});

describe("the paired rounds' headline", () => {
  it("gives each variant's share within the rounds, per round, and its target", () => {
    const rounds = [
      { "bare-node": { rate: 40_000, cpuPerOpUs: 20 }, latchkey: { rate: 16_000, cpuPerOpUs: 50 } },
      { "bare-node": { rate: 20_000, cpuPerOpUs: 40 }, latchkey: { rate: 8_000, cpuPerOpUs: 100 } },
    ];
    const line = renderPairedSession({ rounds, durationS: 5, shares: pairedShares(rounds, "bare-node") });
    expect(line).toContain("2 rounds of 5 s each");
    expect(line).toContain("default logging 40.0 % by server CPU per check (75 vs 30 µs; rounds 40, 40 %)");
    expect(line).toContain("40.0 % by rate (target ≥ 45 %)");
  });

  it("is left out when the rounds did not run", () => {
    expect(renderPairedSession(undefined)).toBe("");
  });
});
