// Server-side cost of a scenario, read from /proc: CPU time (utime + stime) and peak resident memory.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const CLOCK_TICKS_PER_SECOND = clockTicks();

function clockTicks() {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" })) || 100;
  } catch {
    return 100;
  }
}

/** utime + stime of `pid` in seconds. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 overall.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds spent by the whole machine outside idle and iowait, summed over all cores. */
function machineBusySeconds() {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n", 1)[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks;
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
}

export function statusKb(pid, key) {
  const match = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"));
  return match ? Number(match[1]) : Number.NaN;
}

/** Resident memory now (VmRSS) in MB. */
export function residentMb(pid) {
  return statusKb(pid, "VmRSS") / 1024;
}

/** Resets the kernel's peak-RSS mark so VmHWM covers only what follows; false where not permitted. */
function resetPeakRss(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` and reports the server's CPU use and peak RSS (and the driver's CPU) over exactly that window. */
export async function withServerStats(pid, fn) {
  const peakIsScoped = resetPeakRss(pid);
  const cpuBefore = cpuSeconds(pid);
  const driverBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const startedAt = performance.now();
  const result = await fn();
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const cpu = cpuSeconds(pid) - cpuBefore;
  const driverMicros = process.cpuUsage(driverBefore);
  const driverSeconds = (driverMicros.user + driverMicros.system) / 1e6;
  const otherSeconds = machineBusySeconds() - machineBefore - cpu - driverSeconds;
  return {
    ...result,
    cpuPercent: (100 * cpu) / wallSeconds,
    // When the driver's core is saturated the rate measures the driver, not the server.
    driverCpuPercent: (100 * driverSeconds) / wallSeconds,
    // Anything else running on the machine competes for the two cores and skews the numbers.
    otherCpuPercent: Math.max(0, (100 * otherSeconds) / wallSeconds),
    cpuPerOpUs: result.count > 0 ? (cpu * 1e6) / result.count : Number.NaN,
    peakRssMb: statusKb(pid, "VmHWM") / 1024,
    peakIsScoped,
  };
}
