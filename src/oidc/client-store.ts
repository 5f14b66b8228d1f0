import type { Selectable } from "kysely";
import type { Db } from "../db/database.js";
import { precompiled } from "../db/precompiled.js";
import type { OidcClientsTable } from "../db/tables.js";

type ClientRow = Selectable<OidcClientsTable>;

export interface OidcClient {
  id: string;
  name: string;
  secretHash: string | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  isPublic: boolean;
  isFirstParty: boolean;
  idTokenSigningAlgorithm: string;
  createdAt: number;
}

function toClient(row: ClientRow): OidcClient {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    isPublic: Boolean(Number(row.public)),
    isFirstParty: Boolean(Number(row.first_party)),
    idTokenSigningAlgorithm: row.id_token_signed_response_alg,
    createdAt: Number(row.created_at),
  };
}

export async function insertClient(db: Db, client: OidcClient): Promise<void> {
  await db
    .insertInto("oidc_clients")
    .values({
      id: client.id,
      name: client.name,
      secret_hash: client.secretHash,
      redirect_uris: JSON.stringify(client.redirectUris),
      post_logout_redirect_uris: JSON.stringify(client.postLogoutRedirectUris),
      public: client.isPublic ? 1 : 0,
      first_party: client.isFirstParty ? 1 : 0,
      id_token_signed_response_alg: client.idTokenSigningAlgorithm,
      created_at: client.createdAt,
    })
    .execute();
}

const selectClientById = precompiled<{ id: string }, ClientRow>((db, param) =>
  db.selectFrom("oidc_clients").selectAll().where("id", "=", param("id")),
);

export async function findClientById(db: Db, id: string): Promise<OidcClient | undefined> {
  const row = await selectClientById.takeFirst(db, { id });
  return row ? toClient(row) : undefined;
}

export async function listClients(db: Db): Promise<OidcClient[]> {
  const rows = await db.selectFrom("oidc_clients").selectAll().orderBy("created_at", "asc").execute();
  return rows.map(toClient);
}

export async function findClientsByIds(db: Db, ids: readonly string[]): Promise<OidcClient[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("oidc_clients").selectAll().where("id", "in", ids).execute();
  return rows.map(toClient);
}

/** Deletes the client; true when it existed. */
export async function deleteClient(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom("oidc_clients").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Replaces a confidential client's secret hash; false for an unknown or public client. */
export async function updateSecretHash(db: Db, id: string, secretHash: string): Promise<boolean> {
  const result = await db
    .updateTable("oidc_clients")
    .set({ secret_hash: secretHash })
    .where("id", "=", id)
    .where("public", "=", 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
