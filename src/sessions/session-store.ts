import type { Db } from "../db/database.js";
import { precompiled } from "../db/precompiled.js";
import type { SessionsTable } from "../db/tables.js";

export interface Session {
  id: string;
  userId: string;
  refreshHash: string;
  previousRefreshHash: string | null;
  rotatedAt: number | null;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  revokedAt: number | null;
  ip: string | null;
  userAgent: string | null;
  /** RFC 8176 methods that proved this session, e.g. `["otp"]` or `["hwk", "user"]`. */
  amr: string[];
  /** When the user last proved who they are in this session (sign-in or step-up). */
  authenticatedAt: number;
}

export const parseAmr = (value: string | null): string[] => (value ? value.split(" ") : ["otp"]);

export function toSession(row: SessionsTable): Session {
  return {
    id: row.id,
    userId: row.user_id,
    refreshHash: row.refresh_hash,
    previousRefreshHash: row.previous_refresh_hash,
    rotatedAt: row.rotated_at,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    ip: row.ip,
    userAgent: row.user_agent,
    amr: parseAmr(row.amr),
    authenticatedAt: row.authenticated_at ?? row.created_at,
  };
}

export interface NewSession {
  id: string;
  userId: string;
  refreshHash: string;
  now: number;
  expiresAt: number;
  ip: string | null;
  userAgent: string | null;
  amr: string[];
}

export async function insertSession(db: Db, session: NewSession): Promise<void> {
  await insertNewSession.execute(db, { ...session, amr: session.amr.join(" ") });
}

const insertNewSession = precompiled<Omit<NewSession, "amr"> & { amr: string }, never>((db, param) =>
  db.insertInto("sessions").values({
    id: param("id"),
    user_id: param("userId"),
    refresh_hash: param("refreshHash"),
    previous_refresh_hash: null,
    rotated_at: null,
    created_at: param("now"),
    last_used_at: param("now"),
    expires_at: param("expiresAt"),
    revoked_at: null,
    revoke_reason: null,
    ip: param("ip"),
    user_agent: param("userAgent"),
    amr: param("amr"),
    authenticated_at: param("now"),
  }),
);

export async function findSessionById(db: Db, id: string): Promise<Session | undefined> {
  const row = await db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toSession(row);
}

/** Only for ACCESS_TOKEN_EMAIL_CLAIM. */
export async function findUserEmail(db: Db, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom("users").select("email").where("id", "=", userId).executeTakeFirst();
  return row?.email;
}

export interface SessionWithUserRow {
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  amr: string | null;
  authenticated_at: number | null;
  email: string;
  user_created_at: number;
  disabled_at: number | null;
}

// Every session check the cache misses runs it.
const selectSessionWithUser = precompiled<{ id: string }, SessionWithUserRow>((db, param) =>
  db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id",
      "sessions.user_id",
      "sessions.created_at",
      "sessions.expires_at",
      "sessions.revoked_at",
      "sessions.amr",
      "sessions.authenticated_at",
      "users.email",
      "users.created_at as user_created_at",
      "users.disabled_at",
    ])
    .where("sessions.id", "=", param("id")),
);

/** The session joined with its user's email, for the authentication cache. */
export async function findSessionWithUser(db: Db, id: string): Promise<SessionWithUserRow | undefined> {
  return selectSessionWithUser.takeFirst(db, { id });
}

/**
 * Rotates the refresh token only if it is still `currentHash` and the session is live (not
 * revoked, expired or idle, its user not disabled): concurrent refreshes with the same
 * token cannot fork the session; exactly one of them rotates.
 */
export async function rotateRefreshHash(
  db: Db,
  {
    id,
    currentHash,
    nextHash,
    now,
    idleSince,
  }: { id: string; currentHash: string; nextHash: string; now: number; idleSince: number },
): Promise<Session | undefined> {
  const row = await db
    .updateTable("sessions")
    .set({ refresh_hash: nextHash, previous_refresh_hash: currentHash, rotated_at: now, last_used_at: now })
    .where("id", "=", id)
    .where("refresh_hash", "=", currentHash)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .where("last_used_at", ">", idleSince)
    .where(({ exists, not, selectFrom }) =>
      not(
        exists(
          selectFrom("users")
            .select("users.id")
            .whereRef("users.id", "=", "sessions.user_id")
            .where("users.disabled_at", "is not", null),
        ),
      ),
    )
    .returningAll()
    .executeTakeFirst();
  return row && toSession(row);
}

/** Records a fresh proof (step-up) on a live session; undefined when it is not live or not the user's. */
export async function markReauthenticated(
  db: Db,
  { id, userId, amr, now }: { id: string; userId: string; amr: string[]; now: number },
): Promise<Session | undefined> {
  const row = await db
    .updateTable("sessions")
    .set({ amr: amr.join(" "), authenticated_at: now, last_used_at: now })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .returningAll()
    .executeTakeFirst();
  return row && toSession(row);
}

export async function revokeSessionById(
  db: Db,
  { id, userId, now, reason }: { id: string; userId?: string; now: number; reason: string },
): Promise<boolean> {
  let query = db
    .updateTable("sessions")
    .set({ revoked_at: now, revoke_reason: reason })
    .where("id", "=", id)
    .where("revoked_at", "is", null);
  if (userId !== undefined) query = query.where("user_id", "=", userId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Revokes every live session of a user, except `keepId`; returns the revoked ids. */
export async function revokeUserSessions(
  db: Db,
  { userId, keepId, now, reason }: { userId: string; keepId?: string; now: number; reason: string },
): Promise<string[]> {
  let query = db
    .updateTable("sessions")
    .set({ revoked_at: now, revoke_reason: reason })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null);
  if (keepId !== undefined) query = query.where("id", "!=", keepId);
  const rows = await query.returning("id").execute();
  return rows.map((row) => row.id);
}

export async function listLiveSessions(
  db: Db,
  { userId, now, idleSince }: { userId: string; now: number; idleSince: number },
): Promise<Session[]> {
  const rows = await db
    .selectFrom("sessions")
    .selectAll()
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .where("last_used_at", ">", idleSince)
    .orderBy("last_used_at", "desc")
    .limit(100)
    .execute();
  return rows.map(toSession);
}

export async function deleteEndedSessions(db: Db, olderThan: number): Promise<number> {
  const result = await db
    .deleteFrom("sessions")
    .where((where) => where.or([where("expires_at", "<", olderThan), where("revoked_at", "<", olderThan)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
