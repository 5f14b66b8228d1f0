import type { Kysely } from "kysely";

/**
 * `users.locale`: the language an account's pages and mail come in, set at sign-up from the
 * browser's Accept-Language and changed with PUT /api/auth/locale. Null: follow the browser.
 * Frozen once released.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
type AnyDatabase = Kysely<any>;

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable("users").addColumn("locale", "varchar(35)").execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable("users").dropColumn("locale").execute();
}
