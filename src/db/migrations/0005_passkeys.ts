import { type Kysely, sql } from "kysely";

/** Frozen: never edit a released migration; add the next one instead. */

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
type AnyDatabase = Kysely<any>;

const time = sql`bigint`;

export async function up(db: AnyDatabase): Promise<void> {
  // How the session was proven (RFC 8176 `amr`, space-separated) and when it was last proven (step-up).
  await db.schema.alterTable("sessions").addColumn("amr", "text").execute();
  await db.schema.alterTable("sessions").addColumn("authenticated_at", time).execute();

  // One random WebAuthn user handle per user: never the email or the user id.
  await db.schema
    .createTable("passkey_user_handles")
    .addColumn("user_id", "text", (column) => column.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("user_handle", "text", (column) => column.notNull().unique())
    .addColumn("created_at", time, (column) => column.notNull())
    .execute();

  await db.schema
    .createTable("passkeys")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("user_id", "text", (column) => column.notNull().references("users.id").onDelete("cascade"))
    .addColumn("credential_id", "text", (column) => column.notNull().unique())
    .addColumn("public_key", "text", (column) => column.notNull())
    .addColumn("sign_count", time, (column) => column.notNull().defaultTo(0))
    .addColumn("transports", "text", (column) => column.notNull().defaultTo(""))
    .addColumn("backup_eligible", "integer", (column) => column.notNull().defaultTo(0))
    .addColumn("backed_up", "integer", (column) => column.notNull().defaultTo(0))
    .addColumn("aaguid", "text")
    .addColumn("name", "text", (column) => column.notNull())
    .addColumn("created_at", time, (column) => column.notNull())
    .addColumn("last_used_at", time)
    .execute();
  await db.schema.createIndex("passkeys_user_id").on("passkeys").column("user_id").execute();

  // Ceremony challenges: single use, short-lived, bound to the browser (and session) that asked.
  await db.schema
    .createTable("webauthn_challenges")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("purpose", "text", (column) => column.notNull())
    .addColumn("challenge_hash", "text", (column) => column.notNull().unique())
    .addColumn("binding_hash", "text", (column) => column.notNull())
    .addColumn("user_id", "text")
    .addColumn("session_id", "text")
    .addColumn("created_at", time, (column) => column.notNull())
    .addColumn("expires_at", time, (column) => column.notNull())
    .addColumn("consumed_at", time)
    .execute();
  await db.schema
    .createIndex("webauthn_challenges_expires_at")
    .on("webauthn_challenges")
    .column("expires_at")
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable("webauthn_challenges").execute();
  await db.schema.dropTable("passkeys").execute();
  await db.schema.dropTable("passkey_user_handles").execute();
  await db.schema.alterTable("sessions").dropColumn("authenticated_at").execute();
  await db.schema.alterTable("sessions").dropColumn("amr").execute();
}
