import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Catalogue, readCatalogue, translateAll } from "../../src/i18n/catalogues.js";
import { discoverLocales, LOCALES_DIR, SUPPORTED_LOCALES } from "../../src/i18n/locales.js";

type Leaves = Map<string, unknown>;

function leaves(node: Catalogue | unknown, prefix = "", into: Leaves = new Map()): Leaves {
  if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) leaves(value, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, node);
  }
  return into;
}

function placeholders(value: unknown): string {
  const names = typeof value === "string" ? (value.match(/\{\{\s*[\w.]+\s*\}\}/g) ?? []) : [];
  return [...new Set(names.map((name) => name.replace(/\s/g, "")))].sort().join(" ");
}

/** What a translation lacks against English: missing or empty keys, different placeholders. */
function translationProblems(english: Catalogue, translation: Catalogue): string[] {
  const translated = leaves(translation);
  const problems: string[] = [];
  for (const [key, source] of leaves(english)) {
    const value = translated.get(key);
    if (typeof value !== "string" || value.trim() === "") problems.push(`${key}: missing or empty`);
    else if (placeholders(value) !== placeholders(source)) {
      problems.push(`${key}: placeholders ${placeholders(value)} ≠ ${placeholders(source)}`);
    }
  }
  return problems;
}

const englishFiles = readdirSync(join(LOCALES_DIR, "en")).filter((file) => file.endsWith(".json"));
const translations = SUPPORTED_LOCALES.slice(1);

describe("catalogues", () => {
  it("has every English string, non-empty and with the same placeholders, in every other language", () => {
    const problems = translations.flatMap((locale) =>
      englishFiles.flatMap((file) => {
        const namespace = file.replace(/\.json$/, "");
        return translationProblems(readCatalogue("en", namespace), readCatalogue(locale, namespace)).map(
          (problem) => `${locale}/${file} ${problem}`,
        );
      }),
    );
    expect(problems).toEqual([]);
  });

  it("has no empty English string", () => {
    const empty = englishFiles.flatMap((file) =>
      [...leaves(readCatalogue("en", file.replace(/\.json$/, "")))]
        .filter(([, value]) => typeof value !== "string" || value.trim() === "")
        .map(([key]) => `${file} ${key}`),
    );
    expect(empty).toEqual([]);
  });

  it("spots a missing key, an empty string and a changed placeholder", () => {
    const english = { a: "Hi {{name}}", b: { c: "Bye", d: "x" } };
    expect(translationProblems(english, { a: "Hallo {{nom}}", b: { c: " " } })).toEqual([
      "a: placeholders {{nom}} ≠ {{name}}",
      "b.c: missing or empty",
      "b.d: missing or empty",
    ]);
  });
});

describe("languages", () => {
  it("offers English and German, English first", () => {
    expect(SUPPORTED_LOCALES[0]).toBe("en");
    expect(SUPPORTED_LOCALES).toContain("de");
  });

  it("finds a new language by its folder, ignoring folders without catalogues", () => {
    const dir = mkdtempSync(join(tmpdir(), "locales-"));
    for (const name of ["fr", "en", "notes", "it"]) mkdirSync(join(dir, name));
    writeFileSync(join(dir, "en", "mail.json"), "{}");
    writeFileSync(join(dir, "fr", "mail.json"), "{}");
    writeFileSync(join(dir, "notes", "mail.json"), "{}");
    expect(discoverLocales(dir)).toEqual(["en", "fr"]);
  });
});

describe("a mail's strings, filled", () => {
  const common = (locale: string, values: Record<string, unknown>) =>
    translateAll(locale, "mail", values).common as Catalogue;

  it("fills every placeholder of a string, in the reader's language", () => {
    expect(common("de", { browser: "Firefox", os: "Linux" }).device).toBe("Firefox unter Linux");
    expect(common("en", { browser: "Firefox", os: "Linux" }).device).toBe("Firefox on Linux");
  });

  it("renders a value the caller lacks as nothing, never as its placeholder", () => {
    expect(common("en", { browser: "Firefox" }).device).toBe("Firefox on ");
  });

  it("gives a language it does not know the English strings", () => {
    expect(translateAll("xx", "mail", { os: "Linux" })).toEqual(translateAll("en", "mail", { os: "Linux" }));
  });

  it("fills each call from its own values", () => {
    common("en", { browser: "Safari", os: "macOS" });
    expect(common("en", { browser: "Edge", os: "Windows" }).device).toBe("Edge on Windows");
  });
});
