/** What the hot path needs to know about a session, cached for a short time. */
export interface SessionState {
  sessionId: string;
  userId: string;
  email: string;
  userCreatedAt: number;
  sessionCreatedAt: number;
  expiresAt: number;
  isRevoked: boolean;
}

/**
 * A small in-process cache of session state. Revocation on this instance deletes the
 * entry at once; other instances learn through the revocation bus (Redis) or, at worst,
 * when the entry's TTL (default 1 s) runs out — so a revoked session is refused
 * everywhere within that bound without a database round trip per request.
 */
export function createSessionCache({ ttlMs, maxEntries = 50_000 }: { ttlMs: number; maxEntries?: number }) {
  const entries = new Map<string, { state: SessionState; fetchedAt: number }>();
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
    set(state: SessionState, now: number) {
      if (ttlMs <= 0) return;
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(state.sessionId, { state, fetchedAt: now });
    },
    forget(sessionIds: Iterable<string>) {
      for (const id of sessionIds) entries.delete(id);
    },
    clear: () => entries.clear(),
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
