import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";

// Small and free of zod on purpose: the entry reads DATA_DIR here before the rest loads.

export const DEFAULT_DATA_DIR = "./data";

/** Reads `.env` (if present) under the real environment, which wins. */
export function readEnvironment(envFile = ".env"): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, "utf8")) : {};
  return { ...fromFile, ...process.env };
}

/** DATA_DIR as the server will use it, read before the rest of the config is checked. */
export function dataDirOf(env: Record<string, string | undefined>): string {
  return env.DATA_DIR || DEFAULT_DATA_DIR;
}
