import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** Helpers for the documentation checks: which pages there are, their links and headings. */

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** README.md, SECURITY.md, CHANGELOG.md and every page under docs/, relative to the root. */
export function documentationPages(): string[] {
  const roots = ["README.md", "SECURITY.md", "CHANGELOG.md"].filter((page) => existsSync(join(ROOT, page)));
  return [...roots, ...markdownFilesUnder("docs")];
}

function markdownFilesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

/** The page's lines outside fenced code blocks; inline code spans blanked out unless kept. */
function proseLines(markdown: string, keepInlineCode = false): string[] {
  let isInFence = false;
  const lines: string[] = [];
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      isInFence = !isInFence;
      continue;
    }
    if (!isInFence) lines.push(keepInlineCode ? line : line.replace(/`[^`]*`/g, "``"));
  }
  return lines;
}

/** Every link target of a page: inline links, images and reference definitions. */
export function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      targets.push(match[1] ?? "");
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line);
    if (definition?.[1]) targets.push(definition[1]);
  }
  return targets;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slugOf(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*_]/g, "")
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\s-]/gu, "").replace(/\s/g, "-");
}

/** The anchors a page offers, numbered like GitHub's when two headings read the same. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown, true)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const slug = slugOf(heading[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Why a relative link from `page` is broken, or undefined when it resolves. */
export function brokenLink(page: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: … are not checked here
  const [path = "", anchor] = target.split("#", 2);
  const file = path === "" ? join(ROOT, page) : join(ROOT, dirname(page), decodeURIComponent(path));
  if (!existsSync(file)) return `${target}: no such file`;
  if (anchor === undefined || !file.endsWith(".md")) return undefined;
  const anchors = anchorsOf(readFileSync(file, "utf8"));
  return anchors.has(decodeURIComponent(anchor)) ? undefined : `${target}: no heading with that anchor`;
}
