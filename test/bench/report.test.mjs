import { describe, expect, it } from "vitest";
import { renderOidcHeadline, renderOpenLoopPhases } from "../../bench/report.mjs";

const row = (target, scenario, rate, cpuPerOpUs, compareWith = "better-auth") => ({
  target,
  scenario,
  rate,
  cpuPerOpUs,
  compareWith,
});

describe("OIDC headline", () => {
  it("puts each Latchkey OIDC rate beside Better Auth's with rate and server-CPU ratios", () => {
    const line = renderOidcHeadline([
      row("latchkey", "oidc refresh", 3000, 300),
      row("better-auth", "oidc refresh", 200, 4500, "better-auth"),
    ]);
    expect(line).toBe(
      "- OIDC: latchkey refresh 3,000/s (300 µs CPU) vs better-auth 200/s (4500 µs): " +
        "15.0× by rate, 15.0× by server CPU (target ≥ 10×).",
    );
  });

  it("says when the peer was not measured instead of inventing a ratio", () => {
    const line = renderOidcHeadline([row("latchkey-pg", "oidc userinfo", 5000, 200, "better-auth-pg")]);
    expect(line).toBe("- OIDC: latchkey-pg userinfo 5,000/s (200 µs CPU), better-auth-pg not measured.");
  });

  it("prints nothing when no OIDC scenario ran", () => {
    expect(renderOidcHeadline([row("latchkey", "session", 10_000, 100)])).toBe("");
  });
});

describe("open-loop login phases", () => {
  const phases = (send, mail, verify, session) => ({ send, mail, verify, session });
  const loginRun = (rate, p50, p99) => ({ rate, share: 0.5, phaseP50: p50, phaseP99: p99 });

  it("shows each open-loop login rate's phases as p50 / p99 in ms, and no row for a session run", () => {
    const text = renderOpenLoopPhases([
      { target: "latchkey", scenario: "session", runs: [{ rate: 9000, share: 0.5 }] },
      {
        target: "latchkey",
        scenario: "login",
        runs: [loginRun(120, phases(3.1, 2.8, 3, 1.5), phases(21, 109.4, 15.6, 7.9))],
      },
    ]);
    expect(text).toContain("| send | mail | verify | session |");
    expect(text).toContain("| latchkey | 120 | 3.1 / 21.0 | 2.8 / 109.4 | 3.0 / 15.6 | 1.5 / 7.9 |");
    expect(text).not.toContain("9,000");
  });

  it("prints nothing when no open-loop login ran", () => {
    const sessionOnly = [{ target: "latchkey", scenario: "session", runs: [{ rate: 9000 }] }];
    expect(renderOpenLoopPhases(sessionOnly)).toBe("");
  });
});
