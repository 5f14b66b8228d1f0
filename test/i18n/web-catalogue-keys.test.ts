import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const webSource = join(root, "web/src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function hasKey(catalogue: unknown, key: string): boolean {
  let node: unknown = catalogue;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object") return false;
    const record = node as Record<string, unknown>;
    // A plural key ("mailbox.count") exists as "count_one"/"count_other".
    node = part in record ? record[part] : record[`${part}_other`];
  }
  return typeof node === "string";
}

describe("the web UI's catalogue", () => {
  it('has every key the pages ask for with a literal t("…") or i18nKey="…"', () => {
    const english: unknown = JSON.parse(readFileSync(join(root, "locales/en/web.json"), "utf8"));
    const used = new Set<string>();
    for (const file of sourceFiles(webSource)) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/\bt\("([a-zA-Z]+\.[\w.]+)"|i18nKey="([a-zA-Z]+\.[\w.]+)"/g)) {
        used.add(match[1] ?? match[2]!);
      }
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((key) => !hasKey(english, key))).toEqual([]);
  });
});
