import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/db/database.js";

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe("the SQLite file", () => {
  it("is readable by the server's user only, with its write-ahead log", async () => {
    const location = join(mkdtempSync(join(tmpdir(), "sqlite-mode-")), "data", "latchkey.db");
    const database = openDatabase({ dialect: "sqlite", location, timeoutMs: 1000 });
    try {
      await migrateToLatest(database.db);
      expect(modeOf(location)).toBe(0o600);
      expect(modeOf(`${location}-wal`)).toBe(0o600);
      expect(modeOf(join(location, ".."))).toBe(0o700);
    } finally {
      await database.close();
    }
  });

  it("keeps a page cache of SQLite's default 2 MB, not better-sqlite3's 16 MB", async () => {
    const location = join(mkdtempSync(join(tmpdir(), "sqlite-cache-")), "latchkey.db");
    const database = openDatabase({ dialect: "sqlite", location, timeoutMs: 1000 });
    try {
      const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(database.db);
      expect(rows).toEqual([{ cache_size: -2000 }]);
    } finally {
      await database.close();
    }
  });
});
