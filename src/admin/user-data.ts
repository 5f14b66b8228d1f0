import type { Db } from "../db/database.js";

/** What an eraser or lister is told about the user. */
export interface UserRef {
  id: string;
  email: string;
}

/**
 * A feature's data about a user. `erase` runs inside the deletion's transaction; `list`
 * (optional) feeds GET /api/admin/users/{id} under `name` (e.g. `passkeys`, `connected_apps`).
 * Features that keep per-user rows (passkeys, OpenID grants) register one here.
 */
export interface UserDataSource {
  name: string;
  erase(executor: Db, user: UserRef): Promise<unknown>;
  /**
   * Ends what would outlive a block (an app's grant and tokens), inside the block's
   * transaction: unblocking must not bring it back.
   */
  revokeAccess?(executor: Db, user: UserRef): Promise<unknown>;
  list?(executor: Db, user: UserRef): Promise<Record<string, unknown>[]>;
}

export function createUserDataRegistry() {
  const sources: UserDataSource[] = [];
  return {
    register(source: UserDataSource) {
      sources.push(source);
    },
    async eraseAll(executor: Db, user: UserRef): Promise<void> {
      for (const source of sources) await source.erase(executor, user);
    },
    async revokeAccessAll(executor: Db, user: UserRef): Promise<void> {
      for (const source of sources) await source.revokeAccess?.(executor, user);
    },
    /** Every listing source's rows by name. */
    async describe(executor: Db, user: UserRef): Promise<Record<string, Record<string, unknown>[]>> {
      const described: Record<string, Record<string, unknown>[]> = {};
      for (const source of sources) {
        if (source.list) described[source.name] = await source.list(executor, user);
      }
      return described;
    },
  };
}

export type UserDataRegistry = ReturnType<typeof createUserDataRegistry>;

/**
 * The core's own per-user data: sessions, the address's challenges and queued mail.
 * Audit rows stay: they hold the keyed email hash, never the address.
 */
export const coreUserData: UserDataSource[] = [
  {
    name: "sessions",
    erase: (executor, user) => executor.deleteFrom("sessions").where("user_id", "=", user.id).execute(),
  },
  {
    name: "challenges",
    erase: (executor, user) => executor.deleteFrom("auth_requests").where("email", "=", user.email).execute(),
  },
  {
    name: "mail",
    erase: (executor, user) =>
      executor.deleteFrom("mail_outbox").where("recipient", "=", user.email).execute(),
  },
];
