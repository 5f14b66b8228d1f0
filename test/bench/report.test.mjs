import { describe, expect, it } from "vitest";
import { renderOidcHeadline } from "../../bench/report.mjs";

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
