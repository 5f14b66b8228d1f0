import { type Kysely, sql } from "kysely";

/** Frozen: never edit a released migration; add the next one instead. */

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
type AnyDatabase = Kysely<any>;

/** BIGINT holds millisecond timestamps on PostgreSQL; SQLite's INTEGER is 64-bit already. */
const time = sql`bigint`;

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("email", "text", (column) => column.notNull().unique())
    .addColumn("created_at", time, (column) => column.notNull())
    .addColumn("last_login_at", time)
    .addColumn("disabled_at", time)
    .execute();

  await db.schema
    .createTable("auth_requests")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("email", "text", (column) => column.notNull())
    .addColumn("email_hash", "text", (column) => column.notNull())
    .addColumn("provider", "text", (column) => column.notNull())
    .addColumn("provider_request_id", "text")
    .addColumn("passwordless_type", "text", (column) => column.notNull())
    .addColumn("template", "text", (column) => column.notNull())
    .addColumn("state", "text")
    .addColumn("code_hash", "text")
    .addColumn("link_hash", "text")
    .addColumn("browser_hash", "text")
    .addColumn("redirect_uri", "text")
    .addColumn("created_at", time, (column) => column.notNull())
    .addColumn("expires_at", time, (column) => column.notNull())
    .addColumn("attempts", "integer", (column) => column.notNull().defaultTo(0))
    .addColumn("sends", "integer", (column) => column.notNull().defaultTo(1))
    .addColumn("last_sent_at", time, (column) => column.notNull())
    .addColumn("consumed_at", time)
    .addColumn("approved_at", time)
    .addColumn("superseded_at", time)
    .addColumn("created_ip", "text")
    .execute();
  await db.schema.createIndex("auth_requests_link_hash").on("auth_requests").column("link_hash").execute();
  await db.schema
    .createIndex("auth_requests_email_hash")
    .on("auth_requests")
    .columns(["email_hash", "created_at"])
    .execute();
  await db.schema.createIndex("auth_requests_expires_at").on("auth_requests").column("expires_at").execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("user_id", "text", (column) => column.notNull().references("users.id").onDelete("cascade"))
    .addColumn("refresh_hash", "text", (column) => column.notNull())
    .addColumn("previous_refresh_hash", "text")
    .addColumn("rotated_at", time)
    .addColumn("created_at", time, (column) => column.notNull())
    .addColumn("last_used_at", time, (column) => column.notNull())
    .addColumn("expires_at", time, (column) => column.notNull())
    .addColumn("revoked_at", time)
    .addColumn("revoke_reason", "text")
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("sessions_user_id").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("signing_keys")
    .addColumn("kid", "text", (column) => column.primaryKey())
    .addColumn("alg", "text", (column) => column.notNull())
    .addColumn("public_jwk", "text", (column) => column.notNull())
    .addColumn("private_jwk", "text", (column) => column.notNull())
    .addColumn("created_at", time, (column) => column.notNull())
    .addColumn("retired_at", time)
    .execute();

  await db.schema
    .createTable("mail_outbox")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("auth_request_id", "text")
    .addColumn("recipient", "text", (column) => column.notNull())
    .addColumn("sealed_message", "text")
    .addColumn("attempts", "integer", (column) => column.notNull().defaultTo(0))
    .addColumn("next_attempt_at", time, (column) => column.notNull())
    .addColumn("locked_until", time)
    .addColumn("created_at", time, (column) => column.notNull())
    .addColumn("sent_at", time)
    .addColumn("failed_at", time)
    .addColumn("error", "text")
    .execute();
  await db.schema
    .createIndex("mail_outbox_due")
    .on("mail_outbox")
    .columns(["sent_at", "failed_at", "next_attempt_at"])
    .execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("at", time, (column) => column.notNull())
    .addColumn("type", "text", (column) => column.notNull())
    .addColumn("user_id", "text")
    .addColumn("email_hash", "text")
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("request_id", "text")
    .addColumn("detail", "text")
    .execute();
  await db.schema.createIndex("audit_events_user_id").on("audit_events").columns(["user_id", "at"]).execute();
  await db.schema.createIndex("audit_events_at").on("audit_events").column("at").execute();

  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "text", (column) => column.primaryKey())
    .addColumn("window_started_at", time, (column) => column.notNull())
    .addColumn("hits", "integer", (column) => column.notNull())
    .execute();

  await db.schema
    .createTable("code_failures")
    .addColumn("email_hash", "text", (column) => column.primaryKey())
    .addColumn("consecutive", "integer", (column) => column.notNull())
    .addColumn("window_started_at", time, (column) => column.notNull())
    .addColumn("window_failures", "integer", (column) => column.notNull())
    .addColumn("last_failure_at", time, (column) => column.notNull())
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  for (const table of [
    "code_failures",
    "rate_limits",
    "audit_events",
    "mail_outbox",
    "signing_keys",
    "sessions",
    "auth_requests",
    "users",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
