import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { AppError } from "../errors.js";
import type { PasswordlessService } from "../passwordless/index.js";
import type { AuditLog } from "../security/audit.js";
import { keyedHash, randomId } from "../security/crypto.js";
import type { RequestContext, SessionService } from "../sessions/index.js";
import { insertUserIfAbsent } from "../users/index.js";
import {
  type AdminUser,
  type AuditFilter,
  deleteUserRow,
  findAdminUser,
  listUsers,
  searchAudit,
  setBlocked,
} from "./store.js";
import type { UserDataRegistry } from "./user-data.js";

/** The request's context plus the admin key that made it: every admin audit event names the key. */
export interface AdminContext extends RequestContext {
  adminKeyId: string;
}

export interface AdminServiceOptions {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  sessions: SessionService;
  passwordless: PasswordlessService;
  userData: UserDataRegistry;
  emailKey: Buffer;
  signInLinks: { isEnabled: boolean; ttlSeconds: number };
}

const PAGE_SIZE = 50;

export function createAdminService(options: AdminServiceOptions) {
  const { db, clock, audit, sessions, userData } = options;
  const hashEmail = (email: string) => keyedHash(options.emailKey, email);
  const auditContext = ({ adminKeyId, ...context }: AdminContext) => ({
    ...context,
    detail: { admin_key_id: adminKeyId },
  });

  /** Throws `user_not_found`. */
  async function requireUser(id: string): Promise<AdminUser> {
    const user = await findAdminUser(db, id);
    if (!user) throw new AppError("user_not_found");
    return user;
  }

  /** A page of users (exact email match when given) and the cursor of the next page, if any. */
  async function findUsers({
    email,
    cursor,
    limit = PAGE_SIZE,
  }: {
    email?: string;
    cursor?: string;
    limit?: number;
  }) {
    const users = await listUsers(db, { email, after: cursor, limit: limit + 1 });
    const page = users.slice(0, limit);
    return { users: page, nextCursor: users.length > limit ? page[page.length - 1]?.id : undefined };
  }

  /** The user with live sessions and every registered source (passkeys, connected apps). Throws `user_not_found`. */
  async function getUser(id: string) {
    const user = await requireUser(id);
    const liveSessions = await sessions.listSessions(id);
    return { user, sessions: liveSessions, related: await userData.describe(db, user) };
  }

  /**
   * Creates a user, optionally mailing a sign-in invitation through the outbox. Throws
   * `user_exists`, and from the invitation `rate_limited`.
   */
  async function createUser(
    email: string,
    sendInvitation: boolean,
    context: AdminContext,
  ): Promise<AdminUser> {
    const id = randomId();
    const isCreated = await db.transaction().execute(async (tx) => {
      const inserted = await insertUserIfAbsent(tx, { id, email, now: clock.now() });
      if (inserted)
        await audit.record(
          { type: "user_created", userId: id, emailHash: hashEmail(email), ...auditContext(context) },
          tx,
        );
      return inserted;
    });
    if (!isCreated) throw new AppError("user_exists");
    if (sendInvitation) {
      // No browser asked, so the link needs its confirmation click wherever it is opened.
      await options.passwordless.send(
        {
          email,
          template: "SIGNIN",
          state: null,
          expiresInSeconds: undefined,
          magicLinkAuthUri: undefined,
          browserBinding: options.passwordless.marks.issueBinding(),
          knownDeviceId: undefined,
          place: undefined,
          isInvitation: true,
        },
        context,
      );
    }
    return requireUser(id);
  }

  /** Blocks sign-in, ends every session and revokes every app's grant at once. Throws `user_not_found`. */
  async function blockUser(id: string, context: AdminContext): Promise<AdminUser> {
    const user = await requireUser(id);
    await db.transaction().execute(async (tx) => {
      await setBlocked(tx, id, user.blockedAt ?? clock.now());
      await userData.revokeAccessAll(tx, user);
      await audit.record({ type: "user_blocked", userId: id, ...auditContext(context) }, tx);
    });
    await sessions.revokeAllSessions(id, context);
    return requireUser(id);
  }

  /** Throws `user_not_found`. */
  async function unblockUser(id: string, context: AdminContext): Promise<AdminUser> {
    await requireUser(id);
    await setBlocked(db, id, null);
    await audit.record({ type: "user_unblocked", userId: id, ...auditContext(context) });
    return requireUser(id);
  }

  /** Ends one session (`sessionId`) or all; returns how many ended. Throws `user_not_found`, `session_not_found`. */
  async function revokeSessions(
    id: string,
    sessionId: string | undefined,
    context: AdminContext,
  ): Promise<number> {
    await requireUser(id);
    if (sessionId === undefined) return sessions.revokeAllSessions(id, context);
    if (!(await sessions.revokeSession(id, sessionId, context))) throw new AppError("session_not_found");
    return 1;
  }

  /**
   * Erases the user: sessions end everywhere first, then every registered source and the
   * user row go in one transaction. Audit rows stay, holding only the keyed email hash.
   * Throws `user_not_found`.
   */
  async function deleteUser(id: string, context: AdminContext): Promise<void> {
    const user = await requireUser(id);
    await sessions.revokeAllSessions(id, context);
    await db.transaction().execute(async (tx) => {
      await userData.eraseAll(tx, user);
      if (!(await deleteUserRow(tx, id))) throw new AppError("user_not_found");
      await audit.record(
        { type: "user_deleted", userId: id, emailHash: hashEmail(user.email), ...auditContext(context) },
        tx,
      );
    });
  }

  /** Audit events, newest first; `email` is matched through its keyed hash. */
  async function readAudit(
    filter: Omit<AuditFilter, "emailHash" | "limit"> & { email?: string; limit?: number },
  ) {
    const limit = filter.limit ?? PAGE_SIZE;
    const rows = await searchAudit(db, {
      ...filter,
      emailHash: filter.email === undefined ? undefined : hashEmail(filter.email),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { events: page, nextCursor: rows.length > limit && last ? `${last.at}.${last.id}` : undefined };
  }

  /**
   * A one-time support sign-in link for an existing user, when ADMIN_SIGN_IN_LINKS allows.
   * Throws `sign_in_links_disabled`, `user_not_found`.
   */
  async function createSignInLink(email: string, context: AdminContext) {
    if (!options.signInLinks.isEnabled) throw new AppError("sign_in_links_disabled");
    const [user] = await listUsers(db, { email, limit: 1 });
    if (!user) throw new AppError("user_not_found");
    if (user.blockedAt !== null) throw new AppError("user_not_found", { detail: "The user is blocked." });
    const { adminKeyId, ...requestContext } = context;
    return options.passwordless.createSupportLink(email, options.signInLinks.ttlSeconds, requestContext, {
      admin_key_id: adminKeyId,
    });
  }

  /** Audits an admin call before it runs, naming the key. */
  async function recordRequest(context: AdminContext, route: string): Promise<void> {
    await audit.record({
      type: "admin_request",
      ...context,
      detail: { admin_key_id: context.adminKeyId, route },
    });
  }

  return {
    findUsers,
    getUser,
    createUser,
    blockUser,
    unblockUser,
    revokeSessions,
    deleteUser,
    readAudit,
    recordRequest,
    createSignInLink,
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
