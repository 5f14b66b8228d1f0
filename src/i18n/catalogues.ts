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

/**
 * Every string of a namespace in one language, placeholders filled from `values`: the
 * `t` object a mail template reads (`{{t.sign_in.title}}`). Keys missing in that language
 * come from English.
 */
export function translateAll(
  locale: string,
  namespace: ServerNamespace,
  values: Record<string, unknown>,
): Catalogue {
  const catalogues = instance();
  const fallback = SUPPORTED_LOCALES[0]!;
  // Plain lookups and `{{name}}` filling, as i18next would with these settings (no escaping,
  // a missing value renders empty): its per-call option handling cost milliseconds a mail.
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (_match, name: string) => String(values[name] ?? ""));
  const walk = (node: Catalogue, prefix: string): Catalogue =>
    Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        if (typeof value !== "string") return [key, walk(value, path)];
        const own = catalogues.getResource(locale, namespace, path) as unknown;
        return [key, fill(typeof own === "string" && own !== "" ? own : value)];
      }),
    );
  // English has every key (the catalogue test holds the others to it): its shape is the walk's.
  return walk(catalogues.getResourceBundle(fallback, namespace) as Catalogue, "");
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;
