import type { Db } from "../db/database.js";

/**
 * oidc-provider's storage (codes, tokens, grants, sessions, interactions) in one table,
 * so every instance shares it. `payload` is the library's JSON; the other columns are
 * copies of its fields that queries need.
 */
export interface StoredPayload {
  payload: string;
  expiresAt: number | null;
  consumedAt: number | null;
}

export interface PayloadRow {
  model: string;
  id: string;
  payload: string;
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
  accountId: string | null;
  clientId: string | null;
  createdAt: number;
  expiresAt: number | null;
}

export async function upsertPayload(db: Db, row: PayloadRow): Promise<void> {
  const values = {
    model: row.model,
    id: row.id,
    payload: row.payload,
    grant_id: row.grantId,
    uid: row.uid,
    user_code: row.userCode,
    account_id: row.accountId,
    client_id: row.clientId,
    created_at: row.createdAt,
    expires_at: row.expiresAt,
    consumed_at: null,
  };
  await db
    .insertInto("oidc_payloads")
    .values(values)
    .onConflict((conflict) =>
      conflict.columns(["model", "id"]).doUpdateSet({
        payload: values.payload,
        grant_id: values.grant_id,
        uid: values.uid,
        user_code: values.user_code,
        account_id: values.account_id,
        client_id: values.client_id,
        expires_at: values.expires_at,
      }),
    )
    .execute();
}

type Lookup = "id" | "uid" | "user_code";

export async function findPayload(
  db: Db,
  model: string,
  column: Lookup,
  value: string,
  now: number,
): Promise<(StoredPayload & { id: string; grantId: string | null }) | undefined> {
  const row = await db
    .selectFrom("oidc_payloads")
    .select(["id", "payload", "grant_id", "expires_at", "consumed_at"])
    .where("model", "=", model)
    .where(column, "=", value)
    .where((where) => where.or([where("expires_at", "is", null), where("expires_at", ">", now)]))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    grantId: row.grant_id,
    payload: row.payload,
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    consumedAt: row.consumed_at === null ? null : Number(row.consumed_at),
  };
}

/** Marks a payload consumed; false when it was already consumed (or is gone): exactly one caller wins. */
export async function consumePayload(db: Db, model: string, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("oidc_payloads")
    .set({ consumed_at: now })
    .where("model", "=", model)
    .where("id", "=", id)
    .where("consumed_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deletePayload(db: Db, model: string, id: string): Promise<void> {
  await db.deleteFrom("oidc_payloads").where("model", "=", model).where("id", "=", id).execute();
}

/** Deletes every row of a grant, or of one model of it. */
export async function deleteByGrantId(db: Db, grantId: string, model?: string): Promise<void> {
  let query = db.deleteFrom("oidc_payloads").where("grant_id", "=", grantId);
  if (model) query = query.where("model", "=", model);
  await query.execute();
}

/** Grants and what they issued for one client, or one client of one account. */
export async function deleteClientPayloads(db: Db, clientId: string, accountId?: string): Promise<number> {
  const grants = db
    .selectFrom("oidc_payloads")
    .select("id")
    .where("model", "=", "Grant")
    .where("client_id", "=", clientId);
  const owned = accountId ? grants.where("account_id", "=", accountId) : grants;
  const result = await db
    .deleteFrom("oidc_payloads")
    .where((where) =>
      where.or([
        where("grant_id", "in", owned),
        where.and([where("model", "=", "Grant"), where("id", "in", owned)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface GrantSummary {
  grantId: string;
  clientId: string;
  payload: string;
  lastUsedAt: number;
}

/** The account's live grants, each with the time of the newest code or token it issued. */
export async function listGrantsOfAccount(db: Db, accountId: string, now: number): Promise<GrantSummary[]> {
  const rows = await db
    .selectFrom("oidc_payloads as grant")
    .leftJoin("oidc_payloads as issued", "issued.grant_id", "grant.id")
    .select((select) => [
      "grant.id as grantId",
      "grant.client_id as clientId",
      "grant.payload as payload",
      "grant.created_at as grantCreatedAt",
      select.fn.max("issued.created_at").as("lastIssuedAt"),
    ])
    .where("grant.model", "=", "Grant")
    .where("grant.account_id", "=", accountId)
    .where((where) => where.or([where("grant.expires_at", "is", null), where("grant.expires_at", ">", now)]))
    .groupBy(["grant.id", "grant.client_id", "grant.payload", "grant.created_at"])
    .execute();
  return rows.map((row) => ({
    grantId: row.grantId,
    clientId: row.clientId ?? "",
    payload: row.payload,
    lastUsedAt: Math.max(Number(row.grantCreatedAt), Number(row.lastIssuedAt ?? 0)),
  }));
}

export async function deleteExpiredPayloads(db: Db, before: number): Promise<number> {
  const result = await db.deleteFrom("oidc_payloads").where("expires_at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
