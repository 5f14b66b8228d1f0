import { type Kysely, sql } from "kysely";

/** Frozen: admin API keys, webhook endpoints and their delivery outbox, the mail provider's message id. */

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
type AnyDatabase = Kysely<any>;

const time = sql`bigint`;

export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable("admin_keys")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("name", "text", (column) => column.notNull())
    .addColumn("key_hash", "text", (column) => column.notNull())
    .addColumn("created_at", time, (column) => column.notNull())
    .addColumn("last_used_at", time)
    .addColumn("revoked_at", time)
    .execute();

  await db.schema
    .createTable("webhook_endpoints")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("url", "text", (column) => column.notNull())
    // JSON array of event types; null means every event.
    .addColumn("events", "text")
    .addColumn("secret_sealed", "text", (column) => column.notNull())
    .addColumn("previous_secret_sealed", "text")
    .addColumn("previous_secret_expires_at", time)
    .addColumn("consecutive_failures", "integer", (column) => column.notNull().defaultTo(0))
    .addColumn("failing_since", time)
    .addColumn("created_at", time, (column) => column.notNull())
    .addColumn("disabled_at", time)
    .addColumn("removed_at", time)
    .execute();

  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("message_id", "text", (column) => column.notNull())
    .addColumn("endpoint_id", "text", (column) => column.notNull())
    .addColumn("event_type", "text", (column) => column.notNull())
    .addColumn("payload", "text", (column) => column.notNull())
    .addColumn("attempts", "integer", (column) => column.notNull().defaultTo(0))
    .addColumn("next_attempt_at", time, (column) => column.notNull())
    .addColumn("locked_until", time)
    .addColumn("created_at", time, (column) => column.notNull())
    .addColumn("sent_at", time)
    .addColumn("failed_at", time)
    .addColumn("error", "text")
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_due")
    .on("webhook_deliveries")
    .columns(["sent_at", "failed_at", "next_attempt_at"])
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_endpoint")
    .on("webhook_deliveries")
    .column("endpoint_id")
    .execute();

  await db.schema.alterTable("mail_outbox").addColumn("provider_message_id", "text").execute();
  await db.schema.createIndex("mail_outbox_recipient").on("mail_outbox").column("recipient").execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropIndex("mail_outbox_recipient").ifExists().execute();
  await db.schema.alterTable("mail_outbox").dropColumn("provider_message_id").execute();
  for (const table of ["webhook_deliveries", "webhook_endpoints", "admin_keys"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
