import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import i18next, { type i18n } from "i18next";
import { LOCALES_DIR, SUPPORTED_LOCALES } from "./locales.js";

/** The server's catalogue files: `locales/<lang>/<namespace>.json` (`web.json` is the UI's). */
export type ServerNamespace = "mail" | "pages";

export type Catalogue = { [key: string]: string | Catalogue };

export function readCatalogue(locale: string, namespace: string, dir = LOCALES_DIR): Catalogue {
  const path = join(dir, locale, `${namespace}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Catalogue) : {};
}

/**
 * One i18next instance over every supported language's server catalogues, loaded once and
 * synchronously. Values are not HTML-escaped here: whatever puts a string into HTML
 * (Mustache, the page helpers) escapes it once.
 */
function createCatalogues(): i18n {
  const namespaces: ServerNamespace[] = ["mail", "pages"];
  const resources = Object.fromEntries(
    SUPPORTED_LOCALES.map((locale) => [
      locale,
      Object.fromEntries(namespaces.map((namespace) => [namespace, readCatalogue(locale, namespace)])),
    ]),
  );
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    supportedLngs: [...SUPPORTED_LOCALES],
    fallbackLng: SUPPORTED_LOCALES[0],
    ns: namespaces,
    initAsync: false,
    interpolation: { escapeValue: false },
    // A value an old outbox row lacks renders empty, never as `{{name}}`.
    missingInterpolationHandler: () => "",
  });
  return instance;
}

let catalogues: i18n | undefined;

function instance(): i18n {
  catalogues ??= createCatalogues();
  return catalogues;
}

export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** A translator for one language and namespace; a missing key falls back to English. */
export function translator(locale: string, namespace: ServerNamespace): Translate {
  const t = instance().getFixedT(locale, namespace);
  return (key, values) => t(key, values ?? {}) as string;
}

/** A catalogue whose strings are split at their placeholders once, ready to be filled. */
type CompiledCatalogue = [key: string, entry: CompiledString | CompiledCatalogue][];
/** Literal text at even indexes, placeholder names at odd ones. */
type CompiledString = { parts: string[] };

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/;

function compileString(text: string): CompiledString {
  // split with one capture group alternates text and the captured names.
  return { parts: text.split(new RegExp(PLACEHOLDER.source, "g")) };
}

function fillString({ parts }: CompiledString, values: Record<string, unknown>): string {
  let text = parts[0]!;
  for (let index = 1; index < parts.length; index += 2) {
    text += String(values[parts[index]!] ?? "") + parts[index + 1]!;
  }
  return text;
}

const compiled = new Map<string, CompiledCatalogue>();

/** A language's strings in English's shape (the catalogue test holds the others to it); a key it lacks comes from English. */
function compileCatalogue(locale: string, namespace: ServerNamespace): CompiledCatalogue {
  const catalogues = instance();
  const english = catalogues.getResourceBundle(SUPPORTED_LOCALES[0]!, namespace) as Catalogue;
  const walk = (node: Catalogue, prefix: string): CompiledCatalogue =>
    Object.entries(node).map(([key, value]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      if (typeof value !== "string") return [key, walk(value, path)];
      const own = catalogues.getResource(locale, namespace, path) as unknown;
      return [key, compileString(typeof own === "string" && own !== "" ? own : value)];
    });
  return walk(english, "");
}

function fillCatalogue(catalogue: CompiledCatalogue, values: Record<string, unknown>): Catalogue {
  const filled: Catalogue = {};
  for (const [key, entry] of catalogue) {
    filled[key] = Array.isArray(entry) ? fillCatalogue(entry, values) : fillString(entry, values);
  }
  return filled;
}

/**
 * Every string of a namespace in one language, placeholders filled from `values`: the
 * `t` object a mail template reads (`{{t.sign_in.title}}`). Keys missing in that language
 * come from English. Filled as i18next would with these settings (plain lookups, no
 * escaping, a missing value renders empty), from strings split once per language: i18next's
 * per-call option handling cost milliseconds a mail, and looking every key up again each time
 * was still a third of a mail's rendering.
 */
export function translateAll(
  locale: string,
  namespace: ServerNamespace,
  values: Record<string, unknown>,
): Catalogue {
  // An unknown language reads English, as a lookup in it would; it gets no entry of its own.
  const language = SUPPORTED_LOCALES.includes(locale) ? locale : SUPPORTED_LOCALES[0]!;
  const key = `${language}|${namespace}`;
  let catalogue = compiled.get(key);
  if (!catalogue) {
    catalogue = compileCatalogue(language, namespace);
    compiled.set(key, catalogue);
  }
  return fillCatalogue(catalogue, values);
}
