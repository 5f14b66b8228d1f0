import type { Db } from "../db/database.js";
import { type PrecompiledQuery, precompiled } from "../db/precompiled.js";
import type { OidcPayloadsTable } from "../db/tables.js";

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

type PayloadColumns = Omit<OidcPayloadsTable, "consumed_at">;

const upsertRow = precompiled<PayloadColumns, never>((db, param) =>
  db
    .insertInto("oidc_payloads")
    .values({
      model: param("model"),
      id: param("id"),
      payload: param("payload"),
      grant_id: param("grant_id"),
      uid: param("uid"),
      user_code: param("user_code"),
      account_id: param("account_id"),
      client_id: param("client_id"),
      created_at: param("created_at"),
      expires_at: param("expires_at"),
      consumed_at: null,
    })
    .onConflict((conflict) =>
      conflict.columns(["model", "id"]).doUpdateSet((update) => ({
        payload: update.ref("excluded.payload"),
        grant_id: update.ref("excluded.grant_id"),
        uid: update.ref("excluded.uid"),
        user_code: update.ref("excluded.user_code"),
        account_id: update.ref("excluded.account_id"),
        client_id: update.ref("excluded.client_id"),
        expires_at: update.ref("excluded.expires_at"),
      })),
    ),
);

export async function upsertPayload(db: Db, row: PayloadRow): Promise<void> {
  await upsertRow.execute(db, {
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
  });
}

type Lookup = "id" | "uid" | "user_code";

interface FoundPayload extends StoredPayload {
  id: string;
  grantId: string | null;
}

type FoundRow = Pick<OidcPayloadsTable, "id" | "payload" | "grant_id" | "expires_at" | "consumed_at">;

/** One compiled lookup per column: codes, tokens and grants are read on every OpenID request. */
const selectLive = Object.fromEntries(
  (["id", "uid", "user_code"] as const).map((column) => [
    column,
    precompiled<{ model: string; value: string; now: number }, FoundRow>((db, param) =>
      db
        .selectFrom("oidc_payloads")
        .select(["id", "payload", "grant_id", "expires_at", "consumed_at"])
        .where("model", "=", param("model"))
        .where(column, "=", param("value"))
        .where((where) =>
          where.or([where("expires_at", "is", null), where("expires_at", ">", param("now"))]),
        ),
    ),
  ]),
) as Record<Lookup, PrecompiledQuery<{ model: string; value: string; now: number }, FoundRow>>;

const selectAnyById = precompiled<{ model: string; id: string }, FoundRow>((db, param) =>
  db
    .selectFrom("oidc_payloads")
    .select(["id", "payload", "grant_id", "expires_at", "consumed_at"])
    .where("model", "=", param("model"))
    .where("id", "=", param("id")),
);

function toFound(row: FoundRow | undefined): FoundPayload | undefined {
  if (!row) return undefined;
  return {
    id: row.id,
    grantId: row.grant_id,
    payload: row.payload,
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    consumedAt: row.consumed_at === null ? null : Number(row.consumed_at),
  };
}

/** The payload unless it has expired. */
export async function findPayload(
  db: Db,
  model: string,
  column: Lookup,
  value: string,
  now: number,
): Promise<FoundPayload | undefined> {
  return toFound(await selectLive[column].takeFirst(db, { model, value, now }));
}

/** The payload even when it has expired (a replayed code's grant is still found). */
export async function findPayloadEvenExpired(
  db: Db,
  model: string,
  id: string,
): Promise<FoundPayload | undefined> {
  return toFound(await selectAnyById.takeFirst(db, { model, id }));
}

/** Marks a payload consumed; false when it was already consumed (or is gone): exactly one caller wins. */
const markConsumed = precompiled<{ model: string; id: string; now: number }, never>((db, param) =>
  db
    .updateTable("oidc_payloads")
    .set({ consumed_at: param("now") })
    .where("model", "=", param("model"))
    .where("id", "=", param("id"))
    .where("consumed_at", "is", null),
);

export async function consumePayload(db: Db, model: string, id: string, now: number): Promise<boolean> {
  const result = await markConsumed.execute(db, { model, id, now });
  return Number(result.numAffectedRows ?? 0) > 0;
}

const deleteRow = precompiled<{ model: string; id: string }, never>((db, param) =>
  db.deleteFrom("oidc_payloads").where("model", "=", param("model")).where("id", "=", param("id")),
);

export async function deletePayload(db: Db, model: string, id: string): Promise<void> {
  await deleteRow.execute(db, { model, id });
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
