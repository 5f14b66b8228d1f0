import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Db } from "../db/database.js";
import { AppError } from "../errors.js";
import type { RequestContext } from "../http/request-context.js";
import type { AuditLog } from "../security/audit.js";
import { constantTimeEqual, keyedHash, randomId, randomToken } from "../security/crypto.js";
import type { AccessTokens } from "./access-tokens.js";
import type { RevocationBus, SessionCache, SessionState } from "./session-cache.js";
import {
  findSessionById,
  findSessionWithUser,
  findUserEmail,
  insertSession,
  listLiveSessions,
  markReauthenticated,
  parseAmr,
  revokeSessionById,
  revokeUserSessions,
  rotateRefreshHash,
  type Session,
} from "./session-store.js";

export type { RequestContext };

export interface IssuedTokens {
  sessionId: string;
  accessToken: string;
  accessExpiresAt: number;
  /** Undefined when a refresh inside the grace window must not replace the rotated token. */
  refreshToken: string | undefined;
  sessionExpiresAt: number;
}

export interface SessionServiceOptions {
  db: Db;
  clock: Clock;
  refreshKey: Buffer;
  accessTokens: AccessTokens;
  cache: SessionCache;
  revocations: RevocationBus;
  audit: AuditLog;
  settings: Config["sessions"];
}

/** `sessionId.secret.tag`: the tag proves Latchkey minted the token for that session. */
const REFRESH_TOKEN_SHAPE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/;

export function createSessionService(options: SessionServiceOptions) {
  const { db, clock, accessTokens, cache, revocations, audit, settings } = options;
  const hashRefresh = (token: string) => keyedHash(options.refreshKey, token);
  const mintKey = Buffer.from(keyedHash(options.refreshKey, "latchkey/refresh-token-tag/v1"), "base64url");
  const tagFor = (sessionId: string, secret: string) => keyedHash(mintKey, `${sessionId}.${secret}`);

  function mintRefreshToken(sessionId: string): string {
    const secret = randomToken(32);
    return `${sessionId}.${secret}.${tagFor(sessionId, secret)}`;
  }

  /**
   * The session id of a refresh token Latchkey minted, or undefined. The session id is no
   * secret (it is every access token's `sid`), so without the tag anyone could present
   * `sid.garbage` and have reuse detection end someone else's session.
   */
  function sessionIdOf(refreshToken: string): string | undefined {
    const match = REFRESH_TOKEN_SHAPE.exec(refreshToken);
    if (!match?.[1] || !match[2] || !match[3]) return undefined;
    return constantTimeEqual(match[3], tagFor(match[1], match[2])) ? match[1] : undefined;
  }

  revocations.subscribe((sessionIds) => cache.forget(sessionIds));

  async function issueAccess(
    session: { id: string; userId: string; expiresAt: number; amr: string[] },
    executor: Db = db,
  ) {
    const email = accessTokens.includesEmail ? await findUserEmail(executor, session.userId) : undefined;
    const access = await accessTokens.sign({
      userId: session.userId,
      sessionId: session.id,
      email,
      amr: session.amr,
    });
    return { accessToken: access.token, accessExpiresAt: Math.min(access.expiresAt, session.expiresAt) };
  }

  /** Starts a session for a user who just proved control of their email (`amr` otp) or a passkey. */
  async function startSession(
    userId: string,
    context: RequestContext,
    executor: Db = db,
    { amr = ["otp"] }: { amr?: string[] } = {},
  ): Promise<IssuedTokens> {
    const now = clock.now();
    const sessionId = randomId();
    const refreshToken = mintRefreshToken(sessionId);
    const expiresAt = now + settings.absoluteLifetimeSeconds * 1000;
    await insertSession(executor, {
      id: sessionId,
      userId,
      refreshHash: hashRefresh(refreshToken),
      now,
      expiresAt,
      ip: context.ip,
      userAgent: context.userAgent?.slice(0, 512) ?? null,
      amr,
    });
    const access = await issueAccess({ id: sessionId, userId, expiresAt, amr }, executor);
    return { sessionId, ...access, refreshToken, sessionExpiresAt: expiresAt };
  }

  async function loadState(sessionId: string, now: number): Promise<SessionState | undefined> {
    const cached = cache.get(sessionId, now);
    if (cached) return cached;
    const generation = cache.generation();
    const row = await findSessionWithUser(db, sessionId);
    if (!row) return undefined;
    const state: SessionState = {
      sessionId: row.id,
      userId: row.user_id,
      email: row.email,
      userCreatedAt: Number(row.user_created_at),
      sessionCreatedAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      isRevoked: row.revoked_at !== null || row.disabled_at !== null,
      amr: parseAmr(row.amr),
      authenticatedAt: Number(row.authenticated_at ?? row.created_at),
    };
    // A revocation that landed while this read was in flight wins over what it read.
    return cache.set(state, now, generation);
  }

  /**
   * Who an access token belongs to, checked against the live session (revocation is
   * immediate). Throws `not_authenticated`, `token_expired` or `session_revoked`.
   */
  async function authenticate(accessToken: string): Promise<SessionState> {
    const claims = await accessTokens.verify(accessToken);
    const now = clock.now();
    const state = await loadState(claims.sessionId, now);
    if (!state || state.userId !== claims.userId) throw new AppError("not_authenticated");
    if (state.isRevoked || state.expiresAt <= now) throw new AppError("session_revoked");
    return state;
  }

  /**
   * The session while it can still be used (not revoked, not past its end), found by id: for
   * signing out where only a link to the session is at hand (OpenID RP-initiated logout).
   */
  async function findLiveSession(sessionId: string): Promise<SessionState | undefined> {
    const now = clock.now();
    const state = await loadState(sessionId, now);
    return state && !state.isRevoked && state.expiresAt > now ? state : undefined;
  }

  /**
   * Ends sessions and records why in one transaction (`write` returns the ids it ended): if
   * the audit row cannot be written nothing is revoked and the caller sees the error (see
   * security/audit.ts). Only after the commit are the ids dropped from every cache.
   */
  async function endSessions(write: (tx: Db) => Promise<string[]>): Promise<string[]> {
    const ids = await db.transaction().execute(write);
    cache.forget(ids);
    if (ids.length > 0) await revocations.publish(ids);
    return ids;
  }

  async function detectReuse(session: Session, presentedHash: string, now: number, context: RequestContext) {
    const isPrevious =
      session.previousRefreshHash !== null && constantTimeEqual(presentedHash, session.previousRefreshHash);
    const withinGrace =
      isPrevious &&
      session.rotatedAt !== null &&
      now - session.rotatedAt <= settings.refreshReuseGraceSeconds * 1000;
    if (withinGrace && session.revokedAt === null && session.expiresAt > now) {
      // Another tab rotated this token a moment ago: hand out an access token, keep its new refresh token.
      const state = await loadState(session.id, now);
      if (!state || state.isRevoked) throw new AppError("invalid_refresh_token");
      // Every access token a refresh hands out is on record, the grace window's too.
      await audit.record({
        type: "session_refreshed",
        userId: session.userId,
        detail: { grace: true },
        ...context,
      });
      const access = await issueAccess(session);
      return {
        sessionId: session.id,
        ...access,
        refreshToken: undefined,
        sessionExpiresAt: session.expiresAt,
      };
    }
    if (session.revokedAt === null) {
      // A token we minted for this session, no longer current: the family was stolen.
      await endSessions(async (tx) => {
        const isRevoked = await revokeSessionById(tx, { id: session.id, now, reason: "refresh_token_reuse" });
        if (isRevoked)
          await audit.record({ type: "refresh_token_reuse", userId: session.userId, ...context }, tx);
        return isRevoked ? [session.id] : [];
      });
    }
    throw new AppError("invalid_refresh_token");
  }

  /**
   * Rotates a refresh token: R1 → R2 with a new access token. R1 presented again after
   * the grace window ends the whole session. Throws `invalid_refresh_token`.
   */
  async function refresh(refreshToken: string, context: RequestContext): Promise<IssuedTokens> {
    const sessionId = sessionIdOf(refreshToken);
    if (!sessionId) throw new AppError("invalid_refresh_token");
    const now = clock.now();
    const session = await findSessionById(db, sessionId);
    if (!session) throw new AppError("invalid_refresh_token");
    const presentedHash = hashRefresh(refreshToken);
    if (!constantTimeEqual(presentedHash, session.refreshHash)) {
      return detectReuse(session, presentedHash, now, context);
    }
    const nextToken = mintRefreshToken(session.id);
    // The rotation and its audit row commit together: a failed audit write leaves the
    // presented token current, so the client's retry succeeds instead of looking like theft.
    const rotated = await db.transaction().execute(async (tx) => {
      const row = await rotateRefreshHash(tx, {
        id: session.id,
        currentHash: presentedHash,
        nextHash: hashRefresh(nextToken),
        now,
        idleSince: now - settings.idleTimeoutSeconds * 1000,
      });
      if (row) await audit.record({ type: "session_refreshed", userId: row.userId, ...context }, tx);
      return row;
    });
    if (!rotated) {
      const latest = await findSessionById(db, session.id);
      const isLive = latest && latest.revokedAt === null && latest.expiresAt > now;
      const lostRace = isLive && !constantTimeEqual(latest.refreshHash, presentedHash);
      if (latest && lostRace) return detectReuse(latest, presentedHash, now, context);
      throw new AppError("invalid_refresh_token");
    }
    const access = await issueAccess(rotated);
    return { sessionId: rotated.id, ...access, refreshToken: nextToken, sessionExpiresAt: rotated.expiresAt };
  }

  /** Ends one session of `userId`; false when it is not theirs or already ended. */
  async function revokeSession(
    userId: string,
    sessionId: string,
    context: RequestContext,
    reason = "revoked",
  ) {
    const ended = await endSessions(async (tx) => {
      const isRevoked = await revokeSessionById(tx, { id: sessionId, userId, now: clock.now(), reason });
      if (!isRevoked) return [];
      await audit.record(
        { type: reason === "logout" ? "signed_out" : "session_revoked", userId, ...context },
        tx,
      );
      return [sessionId];
    });
    return ended.length > 0;
  }

  /** Ends every session of the user, or every other one. Returns how many ended. */
  async function revokeAllSessions(userId: string, context: RequestContext, keepSessionId?: string) {
    const ended = await endSessions(async (tx) => {
      const ids = await revokeUserSessions(tx, {
        userId,
        keepId: keepSessionId,
        now: clock.now(),
        reason: "logout_all",
      });
      await audit.record(
        { type: "sessions_revoked_all", userId, detail: { count: ids.length }, ...context },
        tx,
      );
      return ids;
    });
    return ended.length;
  }

  /** Logout with only a refresh token (the access token expired): ends that session if the token is current. */
  async function revokeByRefreshToken(refreshToken: string, context: RequestContext): Promise<boolean> {
    const sessionId = sessionIdOf(refreshToken);
    if (!sessionId) return false;
    const session = await findSessionById(db, sessionId);
    if (!session || !constantTimeEqual(hashRefresh(refreshToken), session.refreshHash)) return false;
    return revokeSession(session.userId, session.id, context, "logout");
  }

  /**
   * Step-up: the user proved themselves again in this session, so it counts as a fresh
   * sign-in with `amr`. Returns new tokens (the access token carries the new `amr`).
   * Throws `session_revoked`.
   */
  async function reauthenticate(
    state: SessionState,
    amr: string[],
    executor: Db = db,
  ): Promise<IssuedTokens> {
    const session = await markReauthenticated(executor, {
      id: state.sessionId,
      userId: state.userId,
      amr,
      now: clock.now(),
    });
    if (!session) throw new AppError("session_revoked");
    // Inside a transaction this runs before the commit: a read in between may cache the
    // older sign-in time for the cache's TTL, which asks for a step-up again, never less.
    cache.forget([session.id]);
    const access = await issueAccess(session, executor);
    return { sessionId: session.id, ...access, refreshToken: undefined, sessionExpiresAt: session.expiresAt };
  }

  /** Throws `step_up_required` unless the session was proven within `maxAgeSeconds`. */
  function assertRecentAuthentication(state: SessionState, maxAgeSeconds: number) {
    if (clock.now() - state.authenticatedAt > maxAgeSeconds * 1000) throw new AppError("step_up_required");
  }

  /** The user's sessions that can still be used: not revoked, not expired, not idle too long. */
  async function listSessions(userId: string) {
    const now = clock.now();
    return listLiveSessions(db, { userId, now, idleSince: now - settings.idleTimeoutSeconds * 1000 });
  }

  return {
    startSession,
    authenticate,
    findLiveSession,
    refresh,
    revokeSession,
    revokeByRefreshToken,
    revokeAllSessions,
    listSessions,
    reauthenticate,
    assertRecentAuthentication,
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
