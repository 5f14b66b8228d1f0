import type { Db } from "../db/database.js";

/**
 * A user's OpenID grants for the admin API: erased with the user (grants, codes, tokens
 * and provider sessions all carry the account id), so no app keeps a working token.
 */
export const oidcUserData = {
  name: "connected_apps",
  erase: deleteGrantsOf,
  /** A blocked account's apps lose their grants: an unblock must not revive a stolen refresh token. */
  revokeAccess: deleteGrantsOf,
};

async function deleteGrantsOf(executor: Db, user: { id: string }) {
  await executor.deleteFrom("oidc_payloads").where("account_id", "=", user.id).execute();
}
