// Summarises a V8 `.cpuprofile`: `node bench/profile-summary.mjs <file> [--top N]`.
// Prints self time by package (node_modules/<name>, Latchkey's own dist/, node: internals, GC,
// idle) and the functions with the most self time, as shares of the busy (non-idle) time.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: "string", default: "25" } },
});
if (positionals.length !== 1) {
  console.error("usage: node bench/profile-summary.mjs <file.cpuprofile> [--top N]");
  process.exit(2);
}

const profile = JSON.parse(readFileSync(positionals[0], "utf8"));
const selfMicros = selfTimeByNode(profile);
const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));

/** Self time per profile node, from the sample ticks and their time deltas. */
function selfTimeByNode({ samples, timeDeltas }) {
  const totals = new Map();
  for (let i = 0; i < samples.length; i += 1) {
    totals.set(samples[i], (totals.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
  }
  return totals;
}

/** Where a function's code lives: a package, Latchkey's own build, Node's internals or V8. */
function ownerOf({ url, functionName }) {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const packages = url.split("node_modules/");
  if (packages.length > 1) {
    const rest = packages.at(-1).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return "node:internals";
  if (url.includes("/dist/")) return `latchkey:${url.split("/dist/")[1].split("/")[0]}`;
  return url;
}

function addTo(map, key, micros) {
  map.set(key, (map.get(key) ?? 0) + micros);
}

const byOwner = new Map();
const byFunction = new Map();
let busy = 0;
for (const [id, micros] of selfMicros) {
  const { callFrame } = nodesById.get(id);
  if (callFrame.functionName === "(idle)") continue;
  busy += micros;
  addTo(byOwner, ownerOf(callFrame), micros);
  const where = callFrame.url
    ? `${callFrame.url.split("/").slice(-2).join("/")}:${callFrame.lineNumber + 1}`
    : "";
  addTo(byFunction, `${callFrame.functionName || "(anonymous)"} ${where}`, micros);
}

const top = Number(values.top);
const share = (micros) => `${((100 * micros) / busy).toFixed(1).padStart(5)} %`;
const sortedDesc = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);

console.log(
  `busy ${(busy / 1000).toFixed(0)} ms of ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms`,
);
console.log("\nself time by owner");
for (const [owner, micros] of sortedDesc(byOwner)) console.log(`${share(micros)}  ${owner}`);
console.log("\nself time by function");
for (const [name, micros] of sortedDesc(byFunction)) console.log(`${share(micros)}  ${name}`);

// Inclusive time of Latchkey's own functions and of each package's entry points: every sample counts
// once for each distinct function on its stack.
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const inclusive = new Map();
for (let i = 0; i < profile.samples.length; i += 1) {
  const leaf = nodesById.get(profile.samples[i]);
  if (leaf.callFrame.functionName === "(idle)") continue;
  const seen = new Set();
  for (let id = leaf.id; id !== undefined; id = parentOf.get(id)) {
    const { callFrame } = nodesById.get(id);
    if (!callFrame.url.includes("/dist/") || callFrame.url.includes("node_modules/")) continue;
    seen.add(
      `${callFrame.functionName || "(anonymous)"} ${callFrame.url.split("/dist/")[1]}:${callFrame.lineNumber + 1}`,
    );
  }
  for (const key of seen) addTo(inclusive, key, profile.timeDeltas[i] ?? 0);
}
console.log("\ninclusive time of Latchkey's functions");
for (const [name, micros] of sortedDesc(inclusive)) console.log(`${share(micros)}  ${name}`);
