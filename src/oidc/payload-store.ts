import type { AdapterPayload } from "oidc-provider";
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
  return { id: row.id, grantId: row.grant_id, ...stored(row.payload, row.expires_at, row.consumed_at) };
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

/** A stored payload as oidc-provider's adapter hands it over: a used one carries `consumed`. */
export function toAdapterPayload(found: StoredPayload): AdapterPayload {
  const payload = JSON.parse(found.payload) as AdapterPayload;
  if (found.consumedAt !== null) payload.consumed = Math.floor(found.consumedAt / 1000);
  return payload;
}

export interface AccessTokenContext {
  token: StoredPayload;
  grant: StoredPayload | undefined;
  account: { email: string; isDisabled: boolean } | undefined;
  hasClient: boolean;
}

interface AccessTokenContextRow {
  token: string;
  token_expires_at: number | null;
  token_consumed_at: number | null;
  grant: string | null;
  grant_expires_at: number | null;
  grant_consumed_at: number | null;
  email: string | null;
  disabled_at: number | null;
  client_id: string | null;
}

/** What a userinfo answer reads, in one statement: the live access token, its live grant, account and client. */
const selectAccessTokenContext = precompiled<{ id: string; now: number }, AccessTokenContextRow>(
  (db, param) =>
    db
      .selectFrom("oidc_payloads as token")
      .leftJoin("oidc_payloads as grant", (join) =>
        join
          .onRef("grant.id", "=", "token.grant_id")
          .on("grant.model", "=", "Grant")
          .on((on) => on.or([on("grant.expires_at", "is", null), on("grant.expires_at", ">", param("now"))])),
      )
      .leftJoin("users", "users.id", "token.account_id")
      .leftJoin("oidc_clients", "oidc_clients.id", "token.client_id")
      .select([
        "token.payload as token",
        "token.expires_at as token_expires_at",
        "token.consumed_at as token_consumed_at",
        "grant.payload as grant",
        "grant.expires_at as grant_expires_at",
        "grant.consumed_at as grant_consumed_at",
        "users.email",
        "users.disabled_at",
        "oidc_clients.id as client_id",
      ])
      .where("token.model", "=", "AccessToken")
      .where("token.id", "=", param("id"))
      .where((where) =>
        where.or([where("token.expires_at", "is", null), where("token.expires_at", ">", param("now"))]),
      ),
);

export async function findAccessTokenContext(
  db: Db,
  id: string,
  now: number,
): Promise<AccessTokenContext | undefined> {
  const row = await selectAccessTokenContext.takeFirst(db, { id, now });
  if (!row) return undefined;
  return {
    token: stored(row.token, row.token_expires_at, row.token_consumed_at),
    grant: row.grant === null ? undefined : stored(row.grant, row.grant_expires_at, row.grant_consumed_at),
    account: row.email === null ? undefined : { email: row.email, isDisabled: row.disabled_at !== null },
    hasClient: row.client_id !== null,
  };
}

function stored(payload: string, expiresAt: number | null, consumedAt: number | null): StoredPayload {
  return {
    payload,
    expiresAt: expiresAt === null ? null : Number(expiresAt),
    consumedAt: consumedAt === null ? null : Number(consumedAt),
  };
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

/** Deletes one model's rows issued under a grant (oidc-provider's `revokeByGrantId`). */
export async function deleteByGrantId(db: Db, grantId: string, model: string): Promise<void> {
  await db.deleteFrom("oidc_payloads").where("grant_id", "=", grantId).where("model", "=", model).execute();
}

/** Deletes a grant and everything issued under it: a token issued after this finds no grant. */
export async function deleteGrant(db: Db, grantId: string): Promise<void> {
  await db
    .deleteFrom("oidc_payloads")
    .where((where) =>
      where.or([
        where("grant_id", "=", grantId),
        where.and([where("model", "=", "Grant"), where("id", "=", grantId)]),
      ]),
    )
    .execute();
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
