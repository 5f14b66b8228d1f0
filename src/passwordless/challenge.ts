import type { PasswordlessType } from "../config.js";
import { AppError } from "../errors.js";

export type { PasswordlessType };
export type Template = "SIGNIN" | "SIGNUP";

/** One sign-in request: who, what was mailed (as digests), and how far it got. */
export interface Challenge {
  id: string;
  email: string;
  emailHash: string;
  provider: string;
  providerRequestId: string | null;
  passwordlessType: PasswordlessType;
  template: Template;
  state: string | null;
  codeHash: string | null;
  linkHash: string | null;
  browserHash: string | null;
  redirectUri: string | null;
  createdAt: number;
  expiresAt: number;
  attempts: number;
  sends: number;
  lastSentAt: number;
  consumedAt: number | null;
  approvedAt: number | null;
  supersededAt: number | null;
  refusedAt: number | null;
  /** The two-digit number the waiting browser shows for cross-device approval. */
  approvalNumber: number | null;
  approvalMisses: number;
  /** What the approving person is shown about the browser that asked. */
  userAgent: string | null;
  place: string | null;
}

export type ChallengeStatus = "pending" | "approved" | "consumed" | "expired" | "refused";

/**
 * Throws why `challenge` cannot be used now, as the catalogue code a client sees, and
 * returns it while it is open. `maxAttempts` is the code's attempt limit (links have none).
 * After a conditional write found a challenge closed, call it on the challenge as it is
 * now; if that still looks open (a resend replaced the code meanwhile), the write lost:
 * answer `challenge_used`.
 */
export function assertOpen(challenge: Challenge, now: number, maxAttempts: number): Challenge {
  if (challenge.refusedAt !== null) {
    throw new AppError("challenge_used", { detail: "This sign-in was refused. Please start again." });
  }
  if (challenge.consumedAt !== null || challenge.approvedAt !== null) throw new AppError("challenge_used");
  if (challenge.supersededAt !== null) {
    throw new AppError("challenge_used", { detail: "A newer sign-in email was sent. Use the latest one." });
  }
  if (challenge.expiresAt <= now) throw new AppError("challenge_expired");
  if (challenge.attempts >= maxAttempts) throw new AppError("too_many_attempts");
  return challenge;
}

/** Where a challenge stands, as the browser that started it sees it. */
export function statusOf(challenge: Challenge, now: number): ChallengeStatus {
  if (challenge.refusedAt !== null) return "refused";
  if (challenge.consumedAt !== null) return "consumed";
  if (challenge.expiresAt <= now || challenge.supersededAt !== null) return "expired";
  return challenge.approvedAt !== null ? "approved" : "pending";
}
