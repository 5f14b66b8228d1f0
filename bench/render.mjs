// Re-renders BENCHMARKS.md from a saved run: `node bench/render.mjs bench/results/<run>.json`.
// The numbers are the saved run's; only the presentation (tables, method) is today's.
import { readFileSync, writeFileSync } from "node:fs";
import { errorSamplesOf, renderMarkdown, renderReport } from "./report.mjs";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/render.mjs bench/results/<run>.json");
  process.exit(2);
}
const saved = JSON.parse(readFileSync(file, "utf8"));
const report = renderReport({ ...saved, errorSamples: errorSamplesOf(saved) });
writeFileSync("BENCHMARKS.md", renderMarkdown({ env: saved.env, command: saved.command, report }));
console.log(`wrote BENCHMARKS.md from ${file}`);
