import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { cachingStatements } from "../../src/db/database.js";

describe("the SQLite statement cache", () => {
  let connection: SQLite.Database | undefined;
  afterEach(() => {
    if (connection?.open) connection.close();
  });

  function countingConnection() {
    connection = new SQLite(":memory:");
    const open = connection;
    const prepared: string[] = [];
    const prepare = open.prepare.bind(open);
    open.prepare = ((sqlText: string) => {
      prepared.push(sqlText);
      return prepare(sqlText);
    }) as typeof open.prepare;
    return { connection: open, prepared };
  }

  it("prepares a statement once and reuses it for the same SQL, with new parameters each run", () => {
    const { connection: open, prepared } = countingConnection();
    const cache = cachingStatements(open);
    expect(cache.prepare("select ? as n").all([1])).toEqual([{ n: 1 }]);
    expect(cache.prepare("select ? as n").all([2])).toEqual([{ n: 2 }]);
    expect(prepared).toEqual(["select ? as n"]);
  });

  it("keeps at most its size, dropping the least recently used statement", () => {
    const { connection: open, prepared } = countingConnection();
    const cache = cachingStatements(open, 2);
    cache.prepare("select 1");
    cache.prepare("select 2");
    cache.prepare("select 1");
    cache.prepare("select 3");
    cache.prepare("select 1");
    cache.prepare("select 2");
    expect(prepared).toEqual(["select 1", "select 2", "select 3", "select 2"]);
  });

  it("closes the connection on close", () => {
    const { connection: open } = countingConnection();
    cachingStatements(open).close();
    expect(open.open).toBe(false);
  });
});
