import { describe, expect, it } from "vitest";
import { createSessionCache, type SessionState } from "../../src/sessions/index.js";

const state = (sessionId: string, isRevoked = false): SessionState => ({
  sessionId,
  userId: "user",
  email: "alice@example.com",
  userCreatedAt: 0,
  sessionCreatedAt: 0,
  expiresAt: 10_000_000,
  isRevoked,
});

describe("session state cache", () => {
  it("answers from memory within its TTL and forgets after it", () => {
    const cache = createSessionCache({ ttlMs: 1000 });
    cache.set(state("s1"), 0, cache.generation());
    expect(cache.get("s1", 999)?.sessionId).toBe("s1");
    expect(cache.get("s1", 1000)).toBeUndefined();
  });

  it("a revocation removes the entry at once", () => {
    const cache = createSessionCache({ ttlMs: 1000 });
    cache.set(state("s1"), 0, cache.generation());
    cache.forget(["s1"]);
    expect(cache.get("s1", 1)).toBeUndefined();
  });

  it("a read that was in flight during a revocation is not cached", () => {
    const cache = createSessionCache({ ttlMs: 1000 });
    const generation = cache.generation(); // the read starts: the session is still live in the database
    cache.forget(["s1"]); // the revocation commits and lands before the read returns
    cache.set(state("s1"), 0, generation);
    expect(cache.get("s1", 1)).toBeUndefined();
  });

  it("caches nothing with a TTL of 0", () => {
    const cache = createSessionCache({ ttlMs: 0 });
    cache.set(state("s1"), 0, cache.generation());
    expect(cache.get("s1", 0)).toBeUndefined();
  });

  it("stays within its size bound", () => {
    const cache = createSessionCache({ ttlMs: 1000, maxEntries: 2 });
    for (const id of ["s1", "s2", "s3"]) cache.set(state(id), 0, cache.generation());
    expect(cache.get("s1", 1)).toBeUndefined();
    expect(cache.get("s3", 1)?.sessionId).toBe("s3");
  });
});
