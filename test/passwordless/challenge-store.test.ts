import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  approveChallenge,
  chargeApprovalMiss,
  chargeCodeAttempt,
  consumeChallenge,
  insertChallenge,
  type NewChallenge,
  refuseChallenge,
  replaceChallengeSecrets,
} from "../../src/passwordless/challenge-store.js";
import { createTestApp, type TestApp } from "../support/harness.js";

/**
 * The store's conditional writes on their own, on every database: single use must hold in
 * SQL even when no check in the service runs first.
 */
describe("challenge store", () => {
  let testApp: TestApp;
  const now = Date.UTC(2026, 10, 25, 9, 0, 0);
  const challenge: NewChallenge = {
    id: "challenge-store-test-id",
    email: "alice@example.com",
    emailHash: "hash",
    provider: "builtin",
    providerRequestId: null,
    passwordlessType: "LINK_OTP",
    template: "SIGNIN",
    state: null,
    codeHash: "code-hash",
    linkHash: "link-hash",
    browserHash: null,
    redirectUri: null,
    expiresAt: now + 300_000,
    approvalNumber: 42,
    userAgent: null,
    place: null,
    now,
    ip: null,
  };
  const db = () => testApp.database.db;

  beforeEach(async () => {
    testApp = await createTestApp();
    await insertChallenge(db(), challenge);
  });
  afterEach(async () => testApp.close());

  it("consumes a challenge once; the second consumption gets nothing", async () => {
    expect(await consumeChallenge(db(), { id: challenge.id, now })).toBeDefined();
    expect(await consumeChallenge(db(), { id: challenge.id, now })).toBeUndefined();
  });

  it("charges at most maxAttempts attempts", async () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await chargeCodeAttempt(db(), { id: challenge.id, now, maxAttempts: 5 }))?.attempts).toBe(
        attempt,
      );
    }
    expect(await chargeCodeAttempt(db(), { id: challenge.id, now, maxAttempts: 5 })).toBeUndefined();
  });

  it("neither charges, approves nor replaces the secrets of a consumed challenge", async () => {
    await consumeChallenge(db(), { id: challenge.id, now });
    expect(await chargeCodeAttempt(db(), { id: challenge.id, now, maxAttempts: 5 })).toBeUndefined();
    expect(await approveChallenge(db(), { id: challenge.id, now, approvalNumber: 42 })).toBeUndefined();
    const replaced = await replaceChallengeSecrets(db(), {
      id: challenge.id,
      now,
      codeHash: "x",
      linkHash: "y",
    });
    expect(replaced).toBeUndefined();
  });

  it("does not consume an expired challenge", async () => {
    expect(await consumeChallenge(db(), { id: challenge.id, now: challenge.expiresAt })).toBeUndefined();
  });

  it("does not consume with a code hash a resend replaced", async () => {
    await replaceChallengeSecrets(db(), {
      id: challenge.id,
      now,
      codeHash: "new-code",
      linkHash: "new-link",
    });
    expect(
      await consumeChallenge(db(), { id: challenge.id, now, expectedCodeHash: "code-hash" }),
    ).toBeUndefined();
  });

  it("does not approve with another number than the one the waiting browser shows", async () => {
    expect(await approveChallenge(db(), { id: challenge.id, now, approvalNumber: 24 })).toBeUndefined();
  });

  it("a wrong approval pick refuses the challenge for good", async () => {
    expect((await chargeApprovalMiss(db(), { id: challenge.id, now, maxMisses: 1 }))?.refusedAt).toBe(now);
    expect(await approveChallenge(db(), { id: challenge.id, now, approvalNumber: 42 })).toBeUndefined();
    expect(await consumeChallenge(db(), { id: challenge.id, now })).toBeUndefined();
  });

  it("a refused challenge can be neither approved nor consumed", async () => {
    expect(await refuseChallenge(db(), { id: challenge.id, now })).toBeDefined();
    expect(await approveChallenge(db(), { id: challenge.id, now, approvalNumber: 42 })).toBeUndefined();
    expect(await consumeChallenge(db(), { id: challenge.id, now })).toBeUndefined();
  });

  it("does not consume an approved challenge as a plain verification", async () => {
    expect(await approveChallenge(db(), { id: challenge.id, now, approvalNumber: 42 })).toBeDefined();
    expect(await consumeChallenge(db(), { id: challenge.id, now })).toBeUndefined();
  });
});
