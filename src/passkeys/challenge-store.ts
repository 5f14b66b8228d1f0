import type { Db } from "../db/database.js";
import { precompiled } from "../db/precompiled.js";
import type { CeremonyPurpose } from "./ceremony-challenge.js";

/**
 * Challenges that were used, as keyed hashes, kept until a day after they expire (the
 * ceremony itself lives in the challenge, see ceremony-challenge.ts). A challenge is spent
 * once: the unique `challenge_hash` lets exactly one of two parallel verifies record it, on
 * one instance or several.
 */
export interface SpentChallenge {
  id: string;
  purpose: CeremonyPurpose;
  challengeHash: string;
  bindingHash: string;
  userId: string | null;
  sessionId: string | null;
  now: number;
  expiresAt: number;
}

const insertSpent = precompiled<SpentChallenge, { id: string }>((db, param) =>
  db
    .insertInto("webauthn_challenges")
    .values({
      id: param("id"),
      purpose: param("purpose"),
      challenge_hash: param("challengeHash"),
      binding_hash: param("bindingHash"),
      user_id: param("userId"),
      session_id: param("sessionId"),
      created_at: param("now"),
      expires_at: param("expiresAt"),
      consumed_at: param("now"),
    })
    .onConflict((conflict) => conflict.column("challenge_hash").doNothing())
    .returning("id"),
);

/** Records the challenge as used; false when it had been used already. */
export async function spendChallenge(db: Db, spent: SpentChallenge): Promise<boolean> {
  return (await insertSpent.takeFirst(db, spent)) !== undefined;
}

const selectSpent = precompiled<{ challengeHash: string }, { id: string }>((db, param) =>
  db.selectFrom("webauthn_challenges").select("id").where("challenge_hash", "=", param("challengeHash")),
);

export async function isChallengeSpent(db: Db, challengeHash: string): Promise<boolean> {
  return (await selectSpent.takeFirst(db, { challengeHash })) !== undefined;
}

export async function deleteOldCeremonyChallenges(db: Db, olderThan: number): Promise<number> {
  const result = await db
    .deleteFrom("webauthn_challenges")
    .where("expires_at", "<", olderThan)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
