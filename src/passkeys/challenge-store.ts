import type { Db } from "../db/database.js";
import { precompiled } from "../db/precompiled.js";
import type { WebauthnChallengesTable } from "../db/tables.js";

export type CeremonyPurpose = "register" | "sign_in" | "step_up";

export interface CeremonyChallenge {
  id: string;
  purpose: CeremonyPurpose;
  userId: string | null;
  sessionId: string | null;
  expiresAt: number;
}

function toCeremonyChallenge(row: WebauthnChallengesTable): CeremonyChallenge {
  return {
    id: row.id,
    purpose: row.purpose as CeremonyPurpose,
    userId: row.user_id,
    sessionId: row.session_id,
    expiresAt: Number(row.expires_at),
  };
}

export interface NewCeremonyChallenge {
  id: string;
  purpose: CeremonyPurpose;
  challengeHash: string;
  bindingHash: string;
  userId: string | null;
  sessionId: string | null;
  now: number;
  expiresAt: number;
}

export async function insertCeremonyChallenge(db: Db, challenge: NewCeremonyChallenge): Promise<void> {
  await insertChallenge.execute(db, challenge);
}

const insertChallenge = precompiled<NewCeremonyChallenge, never>((db, param) =>
  db.insertInto("webauthn_challenges").values({
    id: param("id"),
    purpose: param("purpose"),
    challenge_hash: param("challengeHash"),
    binding_hash: param("bindingHash"),
    user_id: param("userId"),
    session_id: param("sessionId"),
    created_at: param("now"),
    expires_at: param("expiresAt"),
    consumed_at: null,
  }),
);

/**
 * Consumes a challenge in one conditional write: only an open, unexpired challenge of one
 * of `purposes`, asked for by the browser holding `bindingHash`. Two parallel verifies of
 * one challenge: exactly one gets the row.
 */
export async function consumeCeremonyChallenge(
  db: Db,
  {
    challengeHash,
    bindingHash,
    purposes,
    now,
  }: { challengeHash: string; bindingHash: string; purposes: CeremonyPurpose[]; now: number },
): Promise<CeremonyChallenge | undefined> {
  const row = await db
    .updateTable("webauthn_challenges")
    .set({ consumed_at: now })
    .where("challenge_hash", "=", challengeHash)
    .where("binding_hash", "=", bindingHash)
    .where("purpose", "in", purposes)
    .where("consumed_at", "is", null)
    .where("expires_at", ">", now)
    .returningAll()
    .executeTakeFirst();
  return row && toCeremonyChallenge(row);
}

export async function deleteOldCeremonyChallenges(db: Db, olderThan: number): Promise<number> {
  const result = await db
    .deleteFrom("webauthn_challenges")
    .where("expires_at", "<", olderThan)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
