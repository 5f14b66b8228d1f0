import ts from "typescript";
import { describe, expect, it } from "vitest";
import { forEachNode, localImports, parseSource, sourceFiles } from "../support/source-files.js";

/** Words that name a secret or something derived from one; such values are compared in constant time only. */
const SECRET_WORDS = new Set([
  "hash",
  "hashes",
  "digest",
  "tag",
  "secret",
  "mac",
  "hmac",
  "signature",
  "token",
]);
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** The name an operand is known by: `a.refreshHash` → refreshHash, `tagFor(x)` → tagFor, `m[3]` → m. */
function nameOf(node: ts.Expression): string | undefined {
  if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) return nameOf(node.expression);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return nameOf(node.expression);
  if (ts.isCallExpression(node)) return nameOf(node.expression);
  return undefined;
}

function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_]+/)
    .map((word) => word.toLowerCase());
}

/** `x === null`, `x === undefined`, `typeof x === "string"`: asks what a value is, not what it holds. */
function isShapeCheck(node: ts.Expression): boolean {
  return (
    node.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(node) && node.text === "undefined") ||
    ts.isTypeOfExpression(node) ||
    // A comparison with a fixed word (`tokenEndpointAuthMethod === "none"`) is an enum check:
    // no secret is on either side.
    ts.isStringLiteral(node)
  );
}

/** `a === b` comparisons of secret-derived values outside src/security/crypto.ts, as `file:line: text`. */
function plainSecretComparisons(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles("src")) {
    if (file === "src/security/crypto.ts") continue;
    const source = parseSource(file);
    forEachNode(source, (node) => {
      if (!ts.isBinaryExpression(node) || !EQUALITY.has(node.operatorToken.kind)) return;
      if (isShapeCheck(node.left) || isShapeCheck(node.right)) return;
      const names = [nameOf(node.left), nameOf(node.right)].filter((name) => name !== undefined);
      if (!names.some((name) => wordsOf(name).some((word) => SECRET_WORDS.has(word)))) return;
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push(`${file}:${line}: ${node.getText()}`);
    });
  }
  return found;
}

/** Every cycle in the import graph of src/ (type imports too), each as `a.ts → b.ts → a.ts`. */
function importCycles(): string[] {
  const files = new Set(sourceFiles("src"));
  const graph = new Map(
    [...files].map((file) => [
      file,
      localImports(file, { includeTypes: true }).filter((to) => files.has(to)),
    ]),
  );
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push([...path.slice(path.indexOf(next)), next].join(" → "));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

/** Everything `file` loads at run time, directly or not. */
function reachableFrom(file: string): Set<string> {
  const seen = new Set<string>();
  const pending = [file];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...localImports(next));
  }
  return seen;
}

describe("source rules the suite enforces", () => {
  it("SECURITY 33: digests, tags, hashes and secrets are compared only with the constant-time helper", () => {
    expect(plainSecretComparisons()).toEqual([]);
  });

  it("the import graph of src/ has no cycle", () => {
    expect(importCycles()).toEqual([]);
  });

  it("the CLI never loads the HTTP app", () => {
    const loaded = reachableFrom("src/cli.ts");
    expect(loaded.has("src/app.ts")).toBe(false);
    expect(loaded.has("src/services.ts")).toBe(true);
  });
});
