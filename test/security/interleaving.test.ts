import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { testDatabaseKind } from "../support/database.js";
import { createTestApp, type TestApp } from "../support/harness.js";

describe.runIf(testDatabaseKind === "sqlite")(
  "the SQLite test database interleaves like a networked one",
  () => {
    let testApp: TestApp;
    afterEach(async () => testApp.close());

    it("lets two parallel requests' queries take turns, as PostgreSQL's do", async () => {
      testApp = await createTestApp();
      const order: string[] = [];
      async function twoQueries(name: string) {
        await sql`select 1`.execute(testApp.database.db);
        order.push(`${name}1`);
        await sql`select 1`.execute(testApp.database.db);
        order.push(`${name}2`);
      }
      await Promise.all([twoQueries("a"), twoQueries("b")]);
      expect(order).toEqual(["a1", "b1", "a2", "b2"]);
    });
  },
);
