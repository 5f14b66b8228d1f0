import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The repository root, so checks can name files as `src/…`. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Every TypeScript file under `folder` (relative to the repo root), as `src/a/b.ts`. */
export function sourceFiles(folder = "src"): string[] {
  const found: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) found.push(path);
    }
  };
  walk(join(repoRoot, folder));
  return found.map((path) => relative(repoRoot, path)).sort();
}

export function parseSource(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(repoRoot, file), "utf8"), ts.ScriptTarget.Latest, true);
}

/** Calls `visit` on every node of the file. */
export function forEachNode(source: ts.SourceFile, visit: (node: ts.Node) => void): void {
  const walk = (node: ts.Node) => {
    visit(node);
    ts.forEachChild(node, walk);
  };
  walk(source);
}

/**
 * Relative imports and re-exports of `file`, resolved to `src/…` paths (`.js` → `.ts`).
 * Type-only ones count only with `includeTypes`: they load nothing at run time.
 */
export function localImports(file: string, { includeTypes = false } = {}): string[] {
  const source = parseSource(file);
  const targets: string[] = [];
  for (const statement of source.statements) {
    const isImport =
      ts.isImportDeclaration(statement) && (includeTypes || !statement.importClause?.isTypeOnly);
    const isExport = ts.isExportDeclaration(statement) && (includeTypes || !statement.isTypeOnly);
    if (!isImport && !isExport) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith(".")) continue;
    if (isImport && !includeTypes && isTypeOnlyImport(statement as ts.ImportDeclaration)) continue;
    const target = join(file, "..", specifier.text).replace(/\.js$/, ".ts");
    targets.push(target);
  }
  return targets;
}

/** `import { type A, type B } from …` loads nothing at run time. */
function isTypeOnlyImport(statement: ts.ImportDeclaration): boolean {
  const bindings = statement.importClause?.namedBindings;
  if (!statement.importClause || statement.importClause.name || !bindings) return false;
  return ts.isNamedImports(bindings) && bindings.elements.every((element) => element.isTypeOnly);
}
