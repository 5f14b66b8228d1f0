import type { Selectable } from "kysely";
import type { Db } from "../db/database.js";
import type { UsersTable } from "../db/tables.js";

export interface AdminUser {
  id: string;
  email: string;
  createdAt: number;
  lastLoginAt: number | null;
  blockedAt: number | null;
}

const toAdminUser = (row: Selectable<UsersTable>): AdminUser => ({
  id: row.id,
  email: row.email,
  createdAt: Number(row.created_at),
  lastLoginAt: row.last_login_at === null ? null : Number(row.last_login_at),
  blockedAt: row.disabled_at === null ? null : Number(row.disabled_at),
});

/** A page of users ordered by id; `after` is the last id of the previous page. */
export async function listUsers(
  db: Db,
  { email, after, limit }: { email?: string | undefined; after?: string | undefined; limit: number },
): Promise<AdminUser[]> {
  let query = db.selectFrom("users").selectAll().orderBy("id").limit(limit);
  if (email !== undefined) query = query.where("email", "=", email);
  if (after !== undefined) query = query.where("id", ">", after);
  return (await query.execute()).map(toAdminUser);
}

export async function findAdminUser(db: Db, id: string): Promise<AdminUser | undefined> {
  const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toAdminUser(row);
}

/** Blocks (a time) or unblocks (null); false when the user does not exist. */
export async function setBlocked(db: Db, id: string, blockedAt: number | null): Promise<boolean> {
  const result = await db
    .updateTable("users")
    .set({ disabled_at: blockedAt })
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteUserRow(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom("users").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface AuditFilter {
  type?: string | undefined;
  userId?: string | undefined;
  emailHash?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
  /** `at.id` of the last row of the previous page. */
  before?: { at: number; id: string } | undefined;
  limit: number;
}

/** Audit rows, newest first, filtered. */
export async function searchAudit(db: Db, filter: AuditFilter) {
  let query = db
    .selectFrom("audit_events")
    .selectAll()
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(filter.limit);
  if (filter.type !== undefined) query = query.where("type", "=", filter.type);
  if (filter.userId !== undefined) query = query.where("user_id", "=", filter.userId);
  if (filter.emailHash !== undefined) query = query.where("email_hash", "=", filter.emailHash);
  if (filter.since !== undefined) query = query.where("at", ">=", filter.since);
  if (filter.until !== undefined) query = query.where("at", "<", filter.until);
  const before = filter.before;
  if (before) {
    query = query.where((where) =>
      where.or([
        where("at", "<", before.at),
        where.and([where("at", "=", before.at), where("id", "<", before.id)]),
      ]),
    );
  }
  return query.execute();
}
