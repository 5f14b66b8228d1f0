// Preloaded (NODE_OPTIONS=--import) into a server under test: when the process exits, the file
// named by LOADED_MODULES_FILE lists every module it loaded, ES modules (through a loader hook)
// and CommonJS ones (require's cache, which also holds what createRequire loaded).
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.LOADED_MODULES_FILE;
register(new URL("./loaded-modules-hook.mjs", import.meta.url), { data: { file } });
const requireFromHere = createRequire(import.meta.url);
process.once("exit", () => appendFileSync(file, `${Object.keys(requireFromHere.cache).join("\n")}\n`));
