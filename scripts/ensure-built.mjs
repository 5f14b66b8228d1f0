// Builds dist/ when it is missing or older than the sources, so `npm start` works on a fresh clone.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), 0);
}

const built = existsSync("dist/server.js") && existsSync("dist/web/index.html");
const isStale =
  newestMtime("src") > newestMtime("dist/server.js") ||
  newestMtime("web/src") > newestMtime("dist/web/index.html");
if (!built || isStale) {
  console.log("Building Latchkey (tsc + vite)…");
  execSync("npm run build", { stdio: "inherit" });
}
