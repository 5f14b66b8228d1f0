import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { anchorsOf, brokenLink, documentationPages, linkTargets, ROOT, slugOf } from "./markdown.js";

describe("links in the documentation", () => {
  it.each(documentationPages())("every relative link and #anchor in %s resolves", (page) => {
    const targets = linkTargets(readFileSync(join(ROOT, page), "utf8"));
    const broken = targets.map((target) => brokenLink(page, target)).filter(Boolean);
    expect(broken).toEqual([]);
  });

  it("covers the front page, the security policy, the changelog and the manual", () => {
    expect(documentationPages()).toEqual(
      expect.arrayContaining(["README.md", "SECURITY.md", "CHANGELOG.md", "docs/index.md"]),
    );
  });
});

describe("the link check itself", () => {
  it("finds inline links, images and reference definitions, but not code", () => {
    const markdown = [
      "See [a](a.md#x) and ![b](b.png).",
      "[ref]: ../c.md",
      "`[no](code.md)`",
      "```",
      "[no](fenced.md)",
      "```",
    ].join("\n");
    expect(linkTargets(markdown)).toEqual(["a.md#x", "b.png", "../c.md"]);
  });

  it("makes anchors the way GitHub does", () => {
    expect(slugOf("Production: PostgreSQL, Redis and several instances")).toBe(
      "production-postgresql-redis-and-several-instances",
    );
    expect(slugOf("Secrets at rest: why HMAC, not bcrypt")).toBe("secrets-at-rest-why-hmac-not-bcrypt");
    expect(slugOf("`npm test` takes")).toBe("npm-test-takes");
    expect([...anchorsOf("# Tests\n## Tests\n## `npm test`\n")]).toEqual(["tests", "tests-1", "npm-test"]);
  });

  it("reports a missing file and a missing heading", () => {
    expect(brokenLink("docs/index.md", "no-such-page.md")).toMatch(/no such file/);
    expect(brokenLink("docs/index.md", "configuration.md#no-such-heading")).toMatch(/no heading/);
    expect(brokenLink("docs/index.md", "configuration.md#server")).toBeUndefined();
    expect(brokenLink("docs/index.md", "https://example.com/nowhere")).toBeUndefined();
  });
});
