// Reducing repeated runs to the numbers the table reports.

export function percentile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/**
 * Per-phase timings of many operations (`add` takes one operation's `{ phase: ms }`), and a
 * percentile of each phase: `at(0.99)` is `{ phase: ms }`, or undefined when none had phases.
 */
export function createPhaseTimes() {
  const times = {};
  return {
    add(phases) {
      for (const [phase, ms] of Object.entries(phases ?? {})) {
        times[phase] ??= [];
        times[phase].push(ms);
      }
    },
    at(q) {
      const names = Object.keys(times);
      if (names.length === 0) return undefined;
      return Object.fromEntries(names.map((name) => [name, percentile(times[name], q)]));
    },
  };
}

export function median(values) {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of each metric over the repeats; errors are summed and the peak is the highest seen. */
export function summarize(runs) {
  const pick = (key) => median(runs.map((run) => run[key]));
  return {
    rate: pick("rate"),
    p50: pick("p50"),
    p99: pick("p99"),
    cpuPercent: pick("cpuPercent"),
    cpuPerOpUs: pick("cpuPerOpUs"),
    driverCpuPercent: pick("driverCpuPercent"),
    otherCpuPercent: pick("otherCpuPercent"),
    phaseP50: runs[0].phaseP50 && medianPerKey(runs.map((run) => run.phaseP50)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
    firstError: runs.find((run) => run.firstError)?.firstError,
    peakIsScoped: runs.every((run) => run.peakIsScoped),
  };
}

function medianPerKey(records) {
  return Object.fromEntries(Object.keys(records[0]).map((key) => [key, median(records.map((r) => r[key]))]));
}
