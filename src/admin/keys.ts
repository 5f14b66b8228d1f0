import { randomBytes } from "node:crypto";
import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { constantTimeEqual, keyedHash, randomToken } from "../security/crypto.js";

/**
 * Admin API keys: `lk_admin_<id>_<secret>`. Only the keyed hash of the whole key is stored;
 * the id finds the row, the hash is compared in constant time. A key is shown once, when
 * it is created.
 */

const KEY_SHAPE = /^lk_admin_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface AdminKey {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | undefined;
  revokedAt: Date | undefined;
}

export function createAdminKeys({ db, clock, hashKey }: { db: Db; clock: Clock; hashKey: Buffer }) {
  const hash = (key: string) => keyedHash(hashKey, key);

  /** Creates a key; the plaintext is in the result and nowhere else. */
  async function create(name: string): Promise<{ id: string; name: string; key: string }> {
    const id = randomBytes(8).toString("hex");
    const key = `lk_admin_${id}_${randomToken(32)}`;
    await db
      .insertInto("admin_keys")
      .values({
        id,
        name,
        key_hash: hash(key),
        created_at: clock.now(),
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    return { id, name, key };
  }

  async function list(): Promise<AdminKey[]> {
    const rows = await db.selectFrom("admin_keys").selectAll().orderBy("created_at").execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: new Date(Number(row.created_at)),
      lastUsedAt: row.last_used_at === null ? undefined : new Date(Number(row.last_used_at)),
      revokedAt: row.revoked_at === null ? undefined : new Date(Number(row.revoked_at)),
    }));
  }

  /** Revokes a key at once; false when there is no live key with that id. */
  async function revoke(id: string): Promise<boolean> {
    const result = await db
      .updateTable("admin_keys")
      .set({ revoked_at: clock.now() })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Whether any live key exists: without one the admin API is not there at all. */
  async function hasLiveKey(): Promise<boolean> {
    const row = await db
      .selectFrom("admin_keys")
      .select("id")
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The live key a presented value is, or undefined. */
  async function authenticate(presented: string): Promise<{ id: string; name: string } | undefined> {
    const match = KEY_SHAPE.exec(presented);
    if (!match?.[1]) return undefined;
    const row = await db
      .selectFrom("admin_keys")
      .select(["id", "name", "key_hash"])
      .where("id", "=", match[1])
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (!row || !constantTimeEqual(hash(presented), row.key_hash)) return undefined;
    await db.updateTable("admin_keys").set({ last_used_at: clock.now() }).where("id", "=", row.id).execute();
    return { id: row.id, name: row.name };
  }

  return { create, list, revoke, hasLiveKey, authenticate };
}

export type AdminKeys = ReturnType<typeof createAdminKeys>;
