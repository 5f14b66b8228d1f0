// Prints the top self-time and inclusive-time functions of a V8 CPU profile (node --cpu-prof):
//   node scripts/cpu-profile-top.mjs <file.cpuprofile> [count]
// Self time: samples where the function itself was running. Inclusive: the function or anything it
// called (counted once per sample even when recursive). See docs/performance.md.
import { readFileSync } from "node:fs";
import { relative } from "node:path";

const [file, countArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/cpu-profile-top.mjs <file.cpuprofile> [count]");
  process.exit(2);
}
const count = Number(countArg ?? 15);
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

function label({ callFrame: frame }) {
  const name = frame.functionName || "(anonymous)";
  if (!frame.url) return name;
  const path = frame.url.replace(/^file:\/\//, "");
  const short = path.includes("node_modules/")
    ? path.slice(path.lastIndexOf("node_modules/") + 13)
    : relative(process.cwd(), path);
  return `${name} ${short}:${frame.lineNumber + 1}`;
}

const self = new Map();
const inclusive = new Map();
let total = 0;
for (const id of profile.samples) {
  const node = nodes.get(id);
  if (node.callFrame.functionName === "(idle)") continue;
  total++;
  const own = label(node);
  self.set(own, (self.get(own) ?? 0) + 1);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parents.get(at)) {
    const name = label(nodes.get(at));
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
  }
}

function print(title, counts, skip = () => false) {
  console.log(`\n${title} (of ${total} busy samples)`);
  const rows = [...counts]
    .filter(([name]) => !skip(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count);
  for (const [name, n] of rows) console.log(`${((100 * n) / total).toFixed(1).padStart(5)} %  ${name}`);
}

print("Top self time", self);
print("Top inclusive time", inclusive, (name) => name.startsWith("(root)") || name.startsWith("(program)"));
