import i18next from "i18next";
import { initReactI18next } from "react-i18next";

/**
 * The page catalogues: every `locales/<lang>/web.json` at the repository root, so adding a
 * language is adding a folder. English, the fallback for a missing key, is in the bundle;
 * every other language is its own small file, fetched only by those who read it.
 */
const english = import.meta.glob<Record<string, unknown>>("../../../locales/en/web.json", {
  eager: true,
  import: "default",
});
const others = import.meta.glob<Record<string, unknown>>(
  ["../../../locales/*/web.json", "!../../../locales/en/web.json"],
  { import: "default" },
);

export const fallbackLocale = "en";

const localeOf = (path: string) => /\/locales\/([^/]+)\/web\.json$/.exec(path)?.[1] ?? path;

const resources = Object.fromEntries(
  Object.values(english).map((catalogue) => [fallbackLocale, { web: catalogue }]),
);
const loaders = new Map(Object.entries(others).map(([path, load]) => [localeOf(path), load]));

/** The languages this UI has a catalogue for, e.g. ["de", "en"]. */
export const uiLocales: readonly string[] = [fallbackLocale, ...loaders.keys()].sort();

void i18next.use(initReactI18next).init({
  resources,
  lng: fallbackLocale,
  fallbackLng: fallbackLocale,
  ns: ["web"],
  defaultNS: "web",
  // React escapes what it renders; escaping here would show "&amp;" in text.
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

i18next.on("languageChanged", (locale) => {
  document.documentElement.lang = locale;
});

export const i18n = i18next;
export const t = i18next.t.bind(i18next);

/** The language currently shown, for Intl formatters. */
export function currentLocale(): string {
  return i18next.resolvedLanguage ?? i18next.language ?? fallbackLocale;
}

/** Fetches a language's catalogue (once) so `changeLanguage` can show it. */
export async function loadLocale(locale: string): Promise<void> {
  const load = loaders.get(locale);
  if (!load || i18next.hasResourceBundle(locale, "web")) return;
  i18next.addResourceBundle(locale, "web", await load());
}

/** Shows the page in `locale`, fetching its catalogue first. */
export async function showLocale(locale: string): Promise<void> {
  await loadLocale(locale).catch(() => {});
  await i18next.changeLanguage(locale);
}

/** The best catalogue for a BCP 47 tag ("de-AT" → "de"), or undefined. */
export function matchLocale(tag: string | null | undefined): string | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  return (
    uiLocales.find((locale) => locale === lower) ?? uiLocales.find((locale) => locale === lower.split("-")[0])
  );
}
