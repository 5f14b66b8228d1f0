import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "../../src/db/database.js";
import { precompiled } from "../../src/db/precompiled.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";

describe("a precompiled query", () => {
  let testDatabase: TestDatabase;
  let database: DatabaseHandle;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = openDatabase(testDatabase.config);
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  let builds = 0;
  const insertUser = precompiled<{ id: string; email: string; now: number }, never>((db, param) => {
    builds += 1;
    return db.insertInto("users").values({
      id: param("id"),
      email: param("email"),
      created_at: param("now"),
      last_login_at: null,
      disabled_at: null,
      locale: "de",
    });
  });
  const findUser = precompiled<{ email: string }, { id: string; locale: string | null; created_at: number }>(
    (db, param) =>
      db.selectFrom("users").select(["id", "locale", "created_at"]).where("email", "=", param("email")),
  );

  it("runs with new values each time, keeping the values fixed when it was built", async () => {
    await insertUser.execute(database.db, { id: "u-1", email: "one@example.com", now: 1000 });
    await insertUser.execute(database.db, { id: "u-2", email: "two@example.com", now: 2000 });
    expect(await findUser.takeFirst(database.db, { email: "two@example.com" })).toEqual({
      id: "u-2",
      locale: "de",
      created_at: 2000,
    });
    expect(await findUser.takeFirst(database.db, { email: "nobody@example.com" })).toBeUndefined();
  });

  it("runs inside a transaction and rolls back with it", async () => {
    await database.db
      .transaction()
      .execute(async (tx) => {
        await insertUser.execute(tx, { id: "u-3", email: "three@example.com", now: 3000 });
        expect(await findUser.takeFirst(tx, { email: "three@example.com" })).toMatchObject({ id: "u-3" });
        throw new Error("roll back");
      })
      .catch(() => {});
    expect(await findUser.takeFirst(database.db, { email: "three@example.com" })).toBeUndefined();
  });

  it("is built and compiled once for a database and its transactions", async () => {
    const before = builds;
    await insertUser.execute(database.db, { id: "u-4", email: "four@example.com", now: 4000 });
    await database.db
      .transaction()
      .execute((tx) => insertUser.execute(tx, { id: "u-5", email: "five@example.com", now: 5000 }));
    expect(builds - before).toBe(0);
  });

  it("refuses to run without a value for one of its parameters", async () => {
    const values = { id: "u-6", email: "six@example.com" } as unknown as {
      id: string;
      email: string;
      now: number;
    };
    await expect(insertUser.execute(database.db, values)).rejects.toThrow("no value for now");
    expect(await findUser.takeFirst(database.db, { email: "six@example.com" })).toBeUndefined();
  });
});
