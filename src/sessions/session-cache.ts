/** What the hot path needs to know about a session, cached for a short time. */
export interface SessionState {
  sessionId: string;
  userId: string;
  email: string;
  userCreatedAt: number;
  sessionCreatedAt: number;
  expiresAt: number;
  isRevoked: boolean;
  amr: string[];
  /** Last sign-in or step-up, for actions that need a recent one. */
  authenticatedAt: number;
}

/**
 * A small in-process cache of session state. Revocation on this instance deletes the
 * entry at once; other instances learn through the revocation bus (Redis) or, at worst,
 * when the entry's TTL (default 1 s) runs out — so a revoked session is refused
 * everywhere within that bound without a database round trip per request.
 *
 * A read that was in flight while a revocation landed must not put its (possibly
 * pre-revocation) answer back: callers take `generation()` before reading and `set`
 * caches only if no revocation happened since.
 */
export function createSessionCache({ ttlMs, maxEntries = 50_000 }: { ttlMs: number; maxEntries?: number }) {
  const entries = new Map<string, { state: SessionState; fetchedAt: number }>();
  let revocations = 0;
  /**
   * Entries sit in the order they were cached, so the expired ones are at the front. An
   * expired entry is never answered again; without this, up to `maxEntries` of them (about
   * 20 MB at 50,000) would stay until the cache overflowed.
   */
  function dropExpired(now: number) {
    for (const [sessionId, entry] of entries) {
      if (now - entry.fetchedAt < ttlMs) return;
      entries.delete(sessionId);
    }
  }
  return {
    get(sessionId: string, now: number): SessionState | undefined {
      const entry = entries.get(sessionId);
      if (!entry) return undefined;
      if (now - entry.fetchedAt >= ttlMs) {
        entries.delete(sessionId);
        return undefined;
      }
      return entry.state;
    },
    /** Changes whenever sessions are forgotten; take it before reading the database. */
    generation: () => revocations,
    /** How many sessions are held, expired or not. */
    size: () => entries.size,
    /** Caches `state` read since `generation`, unless a revocation landed meanwhile. Returns `state`. */
    set(state: SessionState, now: number, generation: number): SessionState {
      if (ttlMs <= 0 || generation !== revocations) return state;
      dropExpired(now);
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(state.sessionId, { state, fetchedAt: now });
      return state;
    },
    forget(sessionIds: Iterable<string>) {
      revocations++;
      for (const id of sessionIds) entries.delete(id);
    },
    clear() {
      revocations++;
      entries.clear();
    },
  };
}

export type SessionCache = ReturnType<typeof createSessionCache>;

/** Tells every instance that sessions were revoked. The local bus reaches only this process. */
export interface RevocationBus {
  publish(sessionIds: string[]): Promise<void>;
  subscribe(listener: (sessionIds: string[]) => void): void;
  close(): Promise<void>;
}

export function createLocalRevocationBus(): RevocationBus {
  const listeners = new Set<(sessionIds: string[]) => void>();
  return {
    async publish(sessionIds) {
      for (const listener of listeners) listener(sessionIds);
    },
    subscribe: (listener) => {
      listeners.add(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
