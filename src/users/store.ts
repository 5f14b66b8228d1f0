import type { Db } from "../db/database.js";
import { precompiled } from "../db/precompiled.js";
import type { UsersTable } from "../db/tables.js";

export interface User {
  id: string;
  email: string;
  createdAt: Date;
  lastLoginAt: Date | undefined;
  isDisabled: boolean;
}

export function toUser(row: UsersTable): User {
  return {
    id: row.id,
    email: row.email,
    createdAt: new Date(row.created_at),
    lastLoginAt: row.last_login_at === null ? undefined : new Date(row.last_login_at),
    isDisabled: row.disabled_at !== null,
  };
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const row = await db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
  return row && toUser(row);
}

const selectUserById = precompiled<{ id: string }, UsersTable>((db, param) =>
  db.selectFrom("users").selectAll().where("id", "=", param("id")),
);

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const row = await selectUserById.takeFirst(db, { id });
  return row && toUser(row);
}

/** Inserts unless the email exists; returns whether this call created the row. */
export async function insertUserIfAbsent(
  db: Db,
  user: { id: string; email: string; now: number; locale?: string | null },
): Promise<boolean> {
  const result = await db
    .insertInto("users")
    .values({
      id: user.id,
      email: user.email,
      created_at: user.now,
      last_login_at: null,
      disabled_at: null,
      locale: user.locale ?? null,
    })
    .onConflict((conflict) => conflict.column("email").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function recordLogin(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable("users").set({ last_login_at: now }).where("id", "=", id).execute();
}

/**
 * One statement for a sign-in with sign-up open: creates the account (as `user.id`) or, if
 * the email has one, records the login on it; returns the row either way. The row carries
 * `user.id` only if this call created it.
 */
export async function upsertSignedInUser(
  db: Db,
  user: { id: string; email: string; now: number; locale: string | null },
): Promise<{ user: User; isNewUser: boolean }> {
  const row = await upsertUser.takeFirst(db, user);
  if (!row) throw new Error("upsert returned no row");
  return { user: toUser(row), isNewUser: row.id === user.id };
}

const upsertUser = precompiled<{ id: string; email: string; now: number; locale: string | null }, UsersTable>(
  (db, param) =>
    db
      .insertInto("users")
      .values({
        id: param("id"),
        email: param("email"),
        created_at: param("now"),
        last_login_at: param("now"),
        disabled_at: null,
        locale: param("locale"),
      })
      .onConflict((conflict) => conflict.column("email").doUpdateSet({ last_login_at: param("now") }))
      .returningAll(),
);

/** The account's stored language, or null (no account, or none chosen). */
const selectLocaleByEmail = precompiled<{ email: string }, { locale: string | null }>((db, param) =>
  db.selectFrom("users").select("locale").where("email", "=", param("email")),
);

export async function findLocaleByEmail(db: Db, email: string): Promise<string | null> {
  return (await selectLocaleByEmail.takeFirst(db, { email }))?.locale ?? null;
}

export async function findLocaleById(db: Db, id: string): Promise<string | null> {
  const row = await db.selectFrom("users").select("locale").where("id", "=", id).executeTakeFirst();
  return row?.locale ?? null;
}

export async function updateLocale(db: Db, id: string, locale: string): Promise<void> {
  await db.updateTable("users").set({ locale }).where("id", "=", id).execute();
}
