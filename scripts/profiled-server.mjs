// dist/server.js under the V8 CPU profiler, for scripts/profile-server.mjs (Node 20 refuses
// --cpu-prof in NODE_OPTIONS). Writes CPU_PROFILE_DIR/latchkey-<pid>.cpuprofile, and
// latchkey-<pid>.memory.json (process.memoryUsage and V8's heap spaces), when the process exits.
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { getHeapSpaceStatistics } from "node:v8";

const directory = process.env.CPU_PROFILE_DIR;
if (!directory) throw new Error("CPU_PROFILE_DIR is not set");
const session = new Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 200 });
session.post("Profiler.start");
// The in-process inspector answers synchronously, so the profile is written before the exit completes.
process.on("exit", () => {
  mkdirSync(directory, { recursive: true });
  const mb = (bytes) => Math.round(bytes / 1e5) / 10;
  const memory = {
    usage: Object.fromEntries(Object.entries(process.memoryUsage()).map(([key, value]) => [key, mb(value)])),
    heapSpaces: Object.fromEntries(
      getHeapSpaceStatistics().map((space) => [
        space.space_name,
        { size: mb(space.space_size), used: mb(space.space_used_size) },
      ]),
    ),
  };
  writeFileSync(join(directory, `latchkey-${process.pid}.memory.json`), JSON.stringify(memory, null, 2));
  session.post("Profiler.stop", (error, result) => {
    if (error) return console.error(error);
    writeFileSync(join(directory, `latchkey-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});
await import(pathToFileURL(process.env.LATCHKEY_ENTRY ?? "dist/server.js").href);
