import { ConfigError, loadConfig } from "../../src/config.js";

/** The problems `loadConfig` reports for `env`, or none when it starts. */
export function problemsFor(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
