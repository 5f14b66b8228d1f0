import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** `locales/` at the repository root: two levels above both `src/i18n` and `dist/i18n`. */
export const LOCALES_DIR = fileURLToPath(new URL("../../locales/", import.meta.url));

const FALLBACK_LOCALE = "en";
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

/**
 * The languages under `dir`: every folder named like a language tag that holds at least
 * one catalogue (`*.json`), English first, then by name. Adding a language is adding a folder.
 */
export function discoverLocales(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`the catalogue folder ${dir} is missing`);
  const found = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && LANGUAGE_TAG.test(entry.name))
    .filter((entry) => readdirSync(join(dir, entry.name)).some((file) => file.endsWith(".json")))
    .map((entry) => entry.name)
    .sort();
  if (!found.includes(FALLBACK_LOCALE)) throw new Error(`${dir} has no ${FALLBACK_LOCALE} catalogues`);
  return [FALLBACK_LOCALE, ...found.filter((locale) => locale !== FALLBACK_LOCALE)];
}

/** The languages pages and mail come in, found at startup; the first (English) is the fallback. */
export const SUPPORTED_LOCALES: readonly string[] = discoverLocales(LOCALES_DIR);

export type Locale = string;
