/**
 * Writes the OpenAPI document of the app as built (never listening) to the path given,
 * or prints it: `tsx scripts/dump-openapi.ts /tmp/openapi.json`. Used by `npm run
 * lint:openapi` and `npm run generate:api-types`.
 */
import { writeFileSync } from "node:fs";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { migrateToLatest, openDatabase } from "../src/db/database.js";
import { createServices } from "../src/services.js";

export async function renderOpenApiDocument(): Promise<string> {
  const config = loadConfig({
    NODE_ENV: "test",
    SECRET_KEY: "openapi-dump-only-secret-key-0123456789abcdef",
    PUBLIC_URL: "http://localhost:8000",
    DATABASE_URL: "sqlite::memory:",
    LOG_LEVEL: "silent",
  });
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const services = await createServices(config, { database });
    const app = await buildApp(services);
    try {
      await app.ready();
      return `${JSON.stringify(app.swagger(), null, 2)}\n`;
    } finally {
      await app.close();
      await services.close();
    }
  } finally {
    await database.close();
  }
}

const [target] = process.argv.slice(2);
if (process.argv[1]?.endsWith("dump-openapi.ts")) {
  const document = await renderOpenApiDocument();
  if (target) writeFileSync(target, document);
  else process.stdout.write(document);
}
