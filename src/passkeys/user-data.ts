import type { Db } from "../db/database.js";
import { listPasskeysOfUser } from "./store.js";

/**
 * A user's passkeys for the admin API: listed with a user, erased with them (the user
 * handle too, so nothing links a deleted account to its authenticators).
 */
export const passkeyUserData = {
  name: "passkeys",
  async erase(executor: Db, user: { id: string }) {
    await executor.deleteFrom("passkeys").where("user_id", "=", user.id).execute();
    await executor.deleteFrom("passkey_user_handles").where("user_id", "=", user.id).execute();
  },
  async list(executor: Db, user: { id: string }) {
    const passkeys = await listPasskeysOfUser(executor, user.id);
    return passkeys.map((passkey) => ({
      id: passkey.id,
      name: passkey.name,
      created_at: new Date(passkey.createdAt).toISOString(),
      last_used_at: passkey.lastUsedAt === null ? null : new Date(passkey.lastUsedAt).toISOString(),
    }));
  },
};
