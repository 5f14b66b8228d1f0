import type { Selectable } from "kysely";
import type { Db } from "../db/database.js";
import { precompiled } from "../db/precompiled.js";
import type { AuthRequestsTable } from "../db/tables.js";
import type { Challenge, PasswordlessType, Template } from "./challenge.js";

export type { Challenge };

export function toChallenge(row: Selectable<AuthRequestsTable>): Challenge {
  return {
    id: row.id,
    email: row.email,
    emailHash: row.email_hash,
    provider: row.provider,
    providerRequestId: row.provider_request_id,
    passwordlessType: row.passwordless_type as PasswordlessType,
    template: row.template as Template,
    state: row.state,
    codeHash: row.code_hash,
    linkHash: row.link_hash,
    browserHash: row.browser_hash,
    redirectUri: row.redirect_uri,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    attempts: row.attempts,
    sends: row.sends,
    lastSentAt: row.last_sent_at,
    consumedAt: row.consumed_at,
    approvedAt: row.approved_at,
    supersededAt: row.superseded_at,
    refusedAt: row.refused_at,
    approvalNumber: row.approval_number,
    approvalMisses: row.approval_misses,
    userAgent: row.user_agent,
    place: row.place,
  };
}

/** What a new challenge row is made of; the counters and timestamps start empty. */
export type NewChallenge = Pick<
  Challenge,
  | "id"
  | "email"
  | "emailHash"
  | "provider"
  | "providerRequestId"
  | "passwordlessType"
  | "template"
  | "state"
  | "codeHash"
  | "linkHash"
  | "browserHash"
  | "redirectUri"
  | "expiresAt"
  | "approvalNumber"
  | "userAgent"
  | "place"
> & { now: number; ip: string | null };

export async function insertChallenge(db: Db, challenge: NewChallenge): Promise<void> {
  await insertNewChallenge.execute(db, challenge);
}

const insertNewChallenge = precompiled<NewChallenge, never>((db, param) =>
  db.insertInto("auth_requests").values({
    id: param("id"),
    email: param("email"),
    email_hash: param("emailHash"),
    provider: param("provider"),
    provider_request_id: param("providerRequestId"),
    passwordless_type: param("passwordlessType"),
    template: param("template"),
    state: param("state"),
    code_hash: param("codeHash"),
    link_hash: param("linkHash"),
    browser_hash: param("browserHash"),
    redirect_uri: param("redirectUri"),
    created_at: param("now"),
    expires_at: param("expiresAt"),
    last_sent_at: param("now"),
    consumed_at: null,
    approved_at: null,
    superseded_at: null,
    created_ip: param("ip"),
    approval_number: param("approvalNumber"),
    user_agent: param("userAgent"),
    place: param("place"),
  }),
);

/**
 * A newer challenge from the same browser for the same email retires that browser's
 * older pending ones (SECURITY.md 5); other browsers' challenges stand on their own, so a
 * stranger's send never kills the person's pending code and link (SECURITY.md 14).
 */
export async function supersedePendingChallenges(
  db: Db,
  params: { emailHash: string; browserHash: string; now: number },
): Promise<void> {
  await supersedePending.execute(db, params);
}

const supersedePending = precompiled<{ emailHash: string; browserHash: string; now: number }, never>(
  (db, param) =>
    db
      .updateTable("auth_requests")
      .set({ superseded_at: param("now") })
      .where("email_hash", "=", param("emailHash"))
      .where("browser_hash", "=", param("browserHash"))
      .where("consumed_at", "is", null)
      .where("superseded_at", "is", null)
      .where("expires_at", ">", param("now")),
);

const selectChallengeById = precompiled<{ id: string }, Selectable<AuthRequestsTable>>((db, param) =>
  db.selectFrom("auth_requests").selectAll().where("id", "=", param("id")),
);

export async function findChallengeById(db: Db, id: string): Promise<Challenge | undefined> {
  const row = await selectChallengeById.takeFirst(db, { id });
  return row && toChallenge(row);
}

export async function findChallengeByLinkHash(db: Db, linkHash: string): Promise<Challenge | undefined> {
  const row = await db
    .selectFrom("auth_requests")
    .selectAll()
    .where("link_hash", "=", linkHash)
    .executeTakeFirst();
  return row && toChallenge(row);
}

/** An update of challenge `id` that applies only while it is open: not used, retired, refused, approved or expired. */
function updateOpenChallenge(db: Db, id: string, now: number) {
  return db
    .updateTable("auth_requests")
    .where("id", "=", id)
    .where("consumed_at", "is", null)
    .where("superseded_at", "is", null)
    .where("refused_at", "is", null)
    .where("approved_at", "is", null)
    .where("expires_at", ">", now);
}

async function returningChallenge(
  query: ReturnType<typeof updateOpenChallenge>,
): Promise<Challenge | undefined> {
  const row = await query.returningAll().executeTakeFirst();
  return row && toChallenge(row);
}

/**
 * Charges one code attempt before the code is compared, so N parallel guesses can never
 * get more than `maxAttempts` comparisons between them. Returns the charged challenge, or
 * undefined when it is not open (used, superseded, approved, expired or out of attempts).
 */
export async function chargeCodeAttempt(
  db: Db,
  params: { id: string; now: number; maxAttempts: number },
): Promise<Challenge | undefined> {
  const row = await chargeAttempt.takeFirst(db, params);
  return row && toChallenge(row);
}

const chargeAttempt = precompiled<
  { id: string; now: number; maxAttempts: number },
  Selectable<AuthRequestsTable>
>((db, param) =>
  updateOpenChallenge(db, param("id"), param("now"))
    .set((set) => ({ attempts: set("attempts", "+", 1) }))
    .where("attempts", "<", param("maxAttempts"))
    .returningAll(),
);

/**
 * Consumes the challenge — code and link together — in one conditional write: of any
 * number of parallel verifications exactly one gets the row back.
 */
export async function consumeChallenge(
  db: Db,
  { id, now, expectedCodeHash }: { id: string; now: number; expectedCodeHash?: string },
): Promise<Challenge | undefined> {
  const row =
    expectedCodeHash === undefined
      ? await consumeOpen.takeFirst(db, { id, now })
      : await consumeOpenWithCode.takeFirst(db, { id, now, codeHash: expectedCodeHash });
  return row && toChallenge(row);
}

const consumeOpen = precompiled<{ id: string; now: number }, Selectable<AuthRequestsTable>>((db, param) =>
  updateOpenChallenge(db, param("id"), param("now"))
    .set({ consumed_at: param("now") })
    .returningAll(),
);

// A resend between the comparison and this write replaces the code; the old one must not win.
const consumeOpenWithCode = precompiled<
  { id: string; now: number; codeHash: string },
  Selectable<AuthRequestsTable>
>((db, param) =>
  updateOpenChallenge(db, param("id"), param("now"))
    .set({ consumed_at: param("now") })
    .where("code_hash", "=", param("codeHash"))
    .returningAll(),
);

/**
 * Marks a link approved from another device, only when the person picked the number the
 * waiting browser shows; the starting browser completes it later.
 */
export async function approveChallenge(
  db: Db,
  { id, now, approvalNumber }: { id: string; now: number; approvalNumber: number },
): Promise<Challenge | undefined> {
  return returningChallenge(
    updateOpenChallenge(db, id, now).set({ approved_at: now }).where("approval_number", "=", approvalNumber),
  );
}

/**
 * Counts a wrong pick of the approval number, in one conditional write; the pick that
 * reaches `maxMisses` refuses the challenge for good, so the number cannot be guessed.
 */
export async function chargeApprovalMiss(
  db: Db,
  { id, now, maxMisses }: { id: string; now: number; maxMisses: number },
): Promise<Challenge | undefined> {
  return returningChallenge(
    updateOpenChallenge(db, id, now).set((set) => ({
      approval_misses: set("approval_misses", "+", 1),
      refused_at: set
        .case()
        .when("approval_misses", ">=", maxMisses - 1)
        .then(now)
        .else(null)
        .end(),
    })),
  );
}

/** "This wasn't me": the challenge can no longer be approved, consumed or completed. */
export async function refuseChallenge(
  db: Db,
  { id, now }: { id: string; now: number },
): Promise<Challenge | undefined> {
  return returningChallenge(updateOpenChallenge(db, id, now).set({ refused_at: now }));
}

/**
 * Consumes an approved challenge for the browser that started it. A newer challenge for
 * the email retires an approved one too (SECURITY.md 5).
 */
export async function consumeApprovedChallenge(
  db: Db,
  { id, now, browserHash }: { id: string; now: number; browserHash: string },
): Promise<Challenge | undefined> {
  const row = await db
    .updateTable("auth_requests")
    .set({ consumed_at: now })
    .where("id", "=", id)
    .where("browser_hash", "=", browserHash)
    .where("approved_at", "is not", null)
    .where("consumed_at", "is", null)
    .where("superseded_at", "is", null)
    .where("refused_at", "is", null)
    .where("expires_at", ">", now)
    .returningAll()
    .executeTakeFirst();
  return row && toChallenge(row);
}

/** Replaces the secrets of an open challenge; keeps its attempts and its expiry. */
export async function replaceChallengeSecrets(
  db: Db,
  {
    id,
    now,
    codeHash,
    linkHash,
    providerRequestId,
  }: {
    id: string;
    now: number;
    codeHash: string | null;
    linkHash: string | null;
    providerRequestId?: string;
  },
): Promise<Challenge | undefined> {
  return returningChallenge(
    updateOpenChallenge(db, id, now).set((set) => ({
      code_hash: codeHash,
      link_hash: linkHash,
      last_sent_at: now,
      sends: set("sends", "+", 1),
      ...(providerRequestId ? { provider_request_id: providerRequestId } : {}),
    })),
  );
}

/** Deletes challenges that expired more than a day ago. */
export async function deleteExpiredChallenges(db: Db, olderThan: number): Promise<number> {
  const result = await db.deleteFrom("auth_requests").where("expires_at", "<", olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}
