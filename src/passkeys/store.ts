import type { Db } from "../db/database.js";
import { precompiled } from "../db/precompiled.js";
import type { PasskeysTable } from "../db/tables.js";

export interface Passkey {
  id: string;
  userId: string;
  /** base64url, as the browser reports it. */
  credentialId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  signCount: number;
  transports: string[];
  /** A synced passkey (password manager, iCloud Keychain…) rather than one bound to a device. */
  isBackupEligible: boolean;
  isBackedUp: boolean;
  aaguid: string | null;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export function toPasskey(row: PasskeysTable): Passkey {
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    signCount: Number(row.sign_count),
    transports: row.transports ? row.transports.split(" ") : [],
    isBackupEligible: Boolean(row.backup_eligible),
    isBackedUp: Boolean(row.backed_up),
    aaguid: row.aaguid,
    name: row.name,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

/** Inserts unless the credential id is already registered (to anyone); undefined then. */
export async function insertPasskeyIfNew(db: Db, passkey: Passkey): Promise<Passkey | undefined> {
  const row = await db
    .insertInto("passkeys")
    .values({
      id: passkey.id,
      user_id: passkey.userId,
      credential_id: passkey.credentialId,
      public_key: passkey.publicKey,
      sign_count: passkey.signCount,
      transports: passkey.transports.join(" "),
      backup_eligible: passkey.isBackupEligible ? 1 : 0,
      backed_up: passkey.isBackedUp ? 1 : 0,
      aaguid: passkey.aaguid,
      name: passkey.name,
      created_at: passkey.createdAt,
      last_used_at: passkey.lastUsedAt,
    })
    .onConflict((conflict) => conflict.column("credential_id").doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toPasskey(row);
}

const selectByCredentialId = precompiled<{ credentialId: string }, PasskeysTable>((db, param) =>
  db.selectFrom("passkeys").selectAll().where("credential_id", "=", param("credentialId")),
);

export async function findPasskeyByCredentialId(db: Db, credentialId: string): Promise<Passkey | undefined> {
  const row = await selectByCredentialId.takeFirst(db, { credentialId });
  return row && toPasskey(row);
}

export async function listPasskeysOfUser(db: Db, userId: string): Promise<Passkey[]> {
  const rows = await db
    .selectFrom("passkeys")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at", "asc")
    .execute();
  return rows.map(toPasskey);
}

/**
 * Records a use. The sign count only moves forward (kept in SQL, never read-modify-write),
 * so a cloned authenticator replaying an old count cannot wind it back.
 */
export async function recordPasskeyUse(
  db: Db,
  { id, signCount, isBackedUp, now }: { id: string; signCount: number; isBackedUp: boolean; now: number },
): Promise<void> {
  await updateUse.execute(db, { id, signCount, backedUp: isBackedUp ? 1 : 0, now });
}

const updateUse = precompiled<{ id: string; signCount: number; backedUp: number; now: number }, never>(
  (db, param) =>
    db
      .updateTable("passkeys")
      .set((update) => ({
        sign_count: update
          .case()
          .when("sign_count", "<", param("signCount"))
          .then(update.val(param("signCount")))
          .else(update.ref("sign_count"))
          .end(),
        backed_up: param("backedUp"),
        last_used_at: param("now"),
      }))
      .where("id", "=", param("id")),
);

export async function renamePasskey(
  db: Db,
  { id, userId, name }: { id: string; userId: string; name: string },
): Promise<Passkey | undefined> {
  const row = await db
    .updateTable("passkeys")
    .set({ name })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .returningAll()
    .executeTakeFirst();
  return row && toPasskey(row);
}

export async function deletePasskey(
  db: Db,
  { id, userId }: { id: string; userId: string },
): Promise<Passkey | undefined> {
  const row = await db
    .deleteFrom("passkeys")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .returningAll()
    .executeTakeFirst();
  return row && toPasskey(row);
}

/** The user's WebAuthn user handle, created on first use; racing creators agree on one. */
export async function findOrCreateUserHandle(
  db: Db,
  { userId, candidate, now }: { userId: string; candidate: string; now: number },
): Promise<string> {
  await db
    .insertInto("passkey_user_handles")
    .values({ user_id: userId, user_handle: candidate, created_at: now })
    .onConflict((conflict) => conflict.column("user_id").doNothing())
    .execute();
  const row = await db
    .selectFrom("passkey_user_handles")
    .select("user_handle")
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return row.user_handle;
}

const selectUserHandle = precompiled<{ userId: string }, { user_handle: string }>((db, param) =>
  db.selectFrom("passkey_user_handles").select("user_handle").where("user_id", "=", param("userId")),
);

export async function findUserHandle(db: Db, userId: string): Promise<string | undefined> {
  return (await selectUserHandle.takeFirst(db, { userId }))?.user_handle;
}
