import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./markdown.js";

/**
 * docs/security.md lists the 49 requirements, each with links to the tests that prove it.
 * These checks keep that list and the test titles (`SECURITY N: …`) in step.
 */
const PAGE = "docs/security.md";
const REQUIREMENT_COUNT = 49;

function referenceDefinitions(markdown: string): Map<string, string> {
  const definitions = new Map<string, string>();
  for (const match of markdown.matchAll(/^\[([^\]]+)\]:\s*(\S+)\s*$/gm)) {
    definitions.set(match[1] ?? "", relative(ROOT, resolve(ROOT, "docs", match[2] ?? "")));
  }
  return definitions;
}

/** Requirement number → the test files its row links. */
function requirementRows(): Map<number, Set<string>> {
  const markdown = readFileSync(join(ROOT, PAGE), "utf8");
  const definitions = referenceDefinitions(markdown);
  const rows = new Map<number, Set<string>>();
  for (const match of markdown.matchAll(/^\| (\d+) \|(.*)$/gm)) {
    const labels = [...(match[2] ?? "").matchAll(/\[([a-z-]+)\](?!\()/g)].map((label) => label[1] ?? "");
    const files = labels.flatMap((label) => definitions.get(label) ?? []);
    rows.set(Number(match[1]), new Set(files));
  }
  return rows;
}

/** Requirement number → the test files that have a test titled `SECURITY N: …`. */
function filesWithTitledTests(): Map<number, Set<string>> {
  const found = new Map<number, Set<string>>();
  const files = ["test", "web/src"].flatMap((folder) =>
    readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" })
      .filter((name) => /\.test\.tsx?$/.test(name))
      .map((name) => join(folder, name)),
  );
  for (const file of files) {
    const source = readFileSync(join(ROOT, file), "utf8");
    for (const title of source.matchAll(/SECURITY ((?:\d+, )*\d+):/g)) {
      for (const number of (title[1] ?? "").split(", ").map(Number)) {
        if (!found.has(number)) found.set(number, new Set());
        found.get(number)?.add(file);
      }
    }
  }
  return found;
}

describe("the security requirements page", () => {
  it(`has one row for each of the ${REQUIREMENT_COUNT} requirements, each linking its tests`, () => {
    const rows = requirementRows();
    expect([...rows.keys()]).toEqual(Array.from({ length: REQUIREMENT_COUNT }, (_, index) => index + 1));
    const withoutTests = [...rows].filter(([, files]) => files.size === 0).map(([number]) => number);
    expect(withoutTests).toEqual([]);
  });

  it("links every file that holds a test titled for a requirement from that requirement's row", () => {
    const rows = requirementRows();
    const missing: string[] = [];
    for (const [number, files] of filesWithTitledTests()) {
      if (number < 1 || number > REQUIREMENT_COUNT) missing.push(`SECURITY ${number} is not a requirement`);
      for (const file of files) {
        if (!rows.get(number)?.has(file)) missing.push(`row ${number} does not link ${file}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
