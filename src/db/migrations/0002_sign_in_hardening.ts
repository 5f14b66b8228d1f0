import { type Kysely, sql } from "kysely";

/**
 * Frozen: never edit a released migration; add the next one instead.
 * Sign-in hardening: number matching for cross-device approval (the number, wrong picks,
 * a refusal, and what the approving person is shown about the waiting browser), and the
 * rising delay between wrong codes charged in the same write as the attempt.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
type AnyDatabase = Kysely<any>;

const time = sql`bigint`;

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable("auth_requests").addColumn("approval_number", "integer").execute();
  await db.schema
    .alterTable("auth_requests")
    .addColumn("approval_misses", "integer", (column) => column.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("auth_requests").addColumn("refused_at", time).execute();
  await db.schema.alterTable("auth_requests").addColumn("user_agent", "text").execute();
  await db.schema.alterTable("auth_requests").addColumn("place", "text").execute();
  await db.schema
    .alterTable("code_failures")
    .addColumn("next_attempt_at", time, (column) => column.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex("auth_requests_email_browser")
    .on("auth_requests")
    .columns(["email_hash", "browser_hash"])
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropIndex("auth_requests_email_browser").execute();
  await db.schema.alterTable("code_failures").dropColumn("next_attempt_at").execute();
  for (const column of ["place", "user_agent", "refused_at", "approval_misses", "approval_number"]) {
    await db.schema.alterTable("auth_requests").dropColumn(column).execute();
  }
}
