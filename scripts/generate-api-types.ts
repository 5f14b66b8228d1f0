/**
 * Generates web/src/lib/api-schema.d.ts from the app's OpenAPI document with
 * openapi-typescript: `npm run generate:api-types`. The file is committed; a test fails
 * when it no longer matches the document.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import openapiTS, { astToString } from "openapi-typescript";
import { renderOpenApiDocument } from "./dump-openapi.js";

export const API_SCHEMA_PATH = "web/src/lib/api-schema.d.ts";

const HEADER = `/**
 * Generated from Latchkey's OpenAPI document by \`npm run generate:api-types\`. Do not edit.
 */

`;

export async function renderApiTypes(): Promise<string> {
  const document = await renderOpenApiDocument();
  // Request fields with a default stay optional in the generated types.
  const ast = await openapiTS(document, { defaultNonNullable: false, alphabetize: true });
  return formatLikeTheRepo(`${HEADER}${astToString(ast)}`);
}

/** Biome's formatting, so `npm run lint` and the staleness test agree on one byte-exact file. */
function formatLikeTheRepo(source: string): string {
  return execFileSync("node_modules/.bin/biome", ["format", `--stdin-file-path=${API_SCHEMA_PATH}`], {
    input: source,
    encoding: "utf8",
  });
}

if (process.argv[1]?.endsWith("generate-api-types.ts")) {
  writeFileSync(API_SCHEMA_PATH, await renderApiTypes());
  console.log(`wrote ${API_SCHEMA_PATH}`);
}
