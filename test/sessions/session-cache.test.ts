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
  amr: ["otp"],
  authenticatedAt: 0,
});

describe("session state cache", () => {
  it("answers from memory within its TTL and forgets after it", () => {
    const cache = createSessionCache({ ttlMs: 1000 });
    cache.set(state("s1"), 0, cache.generation());
    expect(cache.get("s1", 999)?.sessionId).toBe("s1");
    expect(cache.get("s1", 1000)).toBeUndefined();
  });

  it("drops expired entries as new ones come in, so it holds only the last TTL's sessions", () => {
    const cache = createSessionCache({ ttlMs: 1000 });
    for (let i = 0; i < 100; i++) cache.set(state(`old-${i}`), i, cache.generation());
    cache.set(state("new"), 1099, cache.generation());
    expect(cache.size()).toBe(1);
    expect(cache.get("new", 1100)?.sessionId).toBe("new");
  });

  it("keeps entries still within their TTL when dropping expired ones", () => {
    const cache = createSessionCache({ ttlMs: 1000 });
    cache.set(state("s1"), 0, cache.generation());
    cache.set(state("s2"), 500, cache.generation());
    cache.set(state("s3"), 1200, cache.generation());
    expect(cache.size()).toBe(2);
    expect(cache.get("s2", 1400)?.sessionId).toBe("s2");
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
