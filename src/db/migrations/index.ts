import type { Migration, MigrationProvider } from "kysely";
import * as initial from "./0001_initial.js";

/** Migrations are supplied from code, in order, so a built bundle needs no folder scan. */
const migrations: Record<string, Migration> = {
  "0001_initial": initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
