import { type Kysely, sql } from "kysely";

/** Frozen: never edit a released migration; add the next one instead. */

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not today's types.
type AnyDatabase = Kysely<any>;

const time = sql`bigint`;

/** The OpenID Provider: registered clients, and everything oidc-provider stores (codes, tokens, grants, sessions). */
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable("oidc_clients")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("name", "text", (column) => column.notNull())
    .addColumn("secret_hash", "text")
    .addColumn("redirect_uris", "text", (column) => column.notNull())
    .addColumn("post_logout_redirect_uris", "text", (column) => column.notNull())
    .addColumn("public", "integer", (column) => column.notNull())
    .addColumn("first_party", "integer", (column) => column.notNull())
    .addColumn("id_token_signed_response_alg", "text", (column) => column.notNull().defaultTo("RS256"))
    .addColumn("created_at", time, (column) => column.notNull())
    .execute();

  await db.schema
    .createTable("oidc_payloads")
    .addColumn("model", "text", (column) => column.notNull())
    .addColumn("id", "text", (column) => column.notNull())
    .addColumn("payload", "text", (column) => column.notNull())
    .addColumn("grant_id", "text")
    .addColumn("uid", "text")
    .addColumn("user_code", "text")
    .addColumn("account_id", "text")
    .addColumn("client_id", "text")
    .addColumn("created_at", time, (column) => column.notNull())
    .addColumn("expires_at", time)
    .addColumn("consumed_at", time)
    .addPrimaryKeyConstraint("oidc_payloads_pk", ["model", "id"])
    .execute();
  await db.schema.createIndex("oidc_payloads_grant_id").on("oidc_payloads").column("grant_id").execute();
  await db.schema.createIndex("oidc_payloads_uid").on("oidc_payloads").column("uid").execute();
  await db.schema
    .createIndex("oidc_payloads_account")
    .on("oidc_payloads")
    .columns(["account_id", "model"])
    .execute();
  await db.schema.createIndex("oidc_payloads_client").on("oidc_payloads").column("client_id").execute();
  await db.schema.createIndex("oidc_payloads_expires_at").on("oidc_payloads").column("expires_at").execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropTable("oidc_payloads").ifExists().execute();
  await db.schema.dropTable("oidc_clients").ifExists().execute();
}
