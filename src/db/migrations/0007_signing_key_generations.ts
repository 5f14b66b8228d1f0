import { type Kysely, sql } from "kysely";

/**
 * Signing keys get a per-algorithm `generation` (unique with `alg`): a new key is inserted
 * as "the next generation", so two instances creating the first key, or rotating at the
 * same moment, cannot both succeed. `revoked_at` marks a key withdrawn before its time
 * (`latchkey keys revoke`). Frozen once released.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
type AnyDatabase = Kysely<any>;

const time = sql`bigint`;

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable("signing_keys").addColumn("generation", "integer").execute();
  await db.schema.alterTable("signing_keys").addColumn("revoked_at", time).execute();
  // Existing keys are numbered by age within their algorithm.
  await sql`
    update signing_keys set generation = (
      select count(*) from signing_keys as older
      where older.alg = signing_keys.alg
        and (older.created_at < signing_keys.created_at
          or (older.created_at = signing_keys.created_at and older.kid <= signing_keys.kid))
    )`.execute(db);
  await db.schema
    .createIndex("signing_keys_alg_generation")
    .on("signing_keys")
    .columns(["alg", "generation"])
    .unique()
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropIndex("signing_keys_alg_generation").execute();
  await db.schema.alterTable("signing_keys").dropColumn("revoked_at").execute();
  await db.schema.alterTable("signing_keys").dropColumn("generation").execute();
}
