// The session check of bare node:http and Latchkey measured in alternating rounds, on servers that
// run side by side (each pinned to the server core, idle while another is measured).
import { median } from "./stats.mjs";

/**
 * Runs `rounds` rounds; each measures every entry once, in turn, so a change in the host's speed
 * (2× within minutes on a shared machine) lands on all of them alike. `measure(entry)` resolves
 * with the run's `rate` and `cpuPerOpUs`. Resolves with one `{name: run}` per round.
 */
export async function runPairedRounds({ entries, rounds, measure, log = () => {} }) {
  const results = [];
  for (let round = 1; round <= rounds; round++) {
    const runs = {};
    for (const entry of entries) {
      runs[entry.name] = await measure(entry);
      log(round, entry.name, runs[entry.name]);
    }
    results.push(runs);
  }
  return results;
}

/**
 * Each name's share of the baseline in percent, taken within each round and then the median over
 * rounds: by rate, and by server CPU per operation (baseline µs / its µs).
 */
export function pairedShares(rounds, baseline) {
  const names = Object.keys(rounds[0] ?? {}).filter((name) => name !== baseline);
  const shareByCpu = (round, name) => (100 * round[baseline].cpuPerOpUs) / round[name].cpuPerOpUs;
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        byRate: median(rounds.map((round) => (100 * round[name].rate) / round[baseline].rate)),
        byCpu: median(rounds.map((round) => shareByCpu(round, name))),
        perRoundByCpu: rounds.map((round) => shareByCpu(round, name)),
        cpuPerOpUs: median(rounds.map((round) => round[name].cpuPerOpUs)),
        baselineCpuPerOpUs: median(rounds.map((round) => round[baseline].cpuPerOpUs)),
      },
    ]),
  );
}
