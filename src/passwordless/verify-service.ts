import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Db } from "../db/database.js";
import { AppError, isAppError } from "../errors.js";
import type { AuditLog } from "../security/audit.js";
import type { CodeFailureBudget } from "../security/code-failure-budget.js";
import { constantTimeEqual } from "../security/crypto.js";
import type { IssuedTokens, RequestContext, SessionService } from "../sessions/index.js";
import type { UserService } from "../users/index.js";
import {
  assertOpen,
  type Challenge,
  type ChallengeStatus,
  type PasswordlessType,
  statusOf,
  type Template,
} from "./challenge.js";
import {
  approveChallenge,
  chargeApprovalMiss,
  chargeCodeAttempt,
  consumeApprovedChallenge,
  consumeChallenge,
  findChallengeById,
  refuseChallenge,
} from "./challenge-store.js";
import type { PasswordlessLimits } from "./limits.js";
import type { LinkLookup, PasswordlessProvider } from "./provider.js";

export interface SignInResult {
  email: string;
  /** The keyed hash of the email: the device cookie is tied to it. */
  emailHash: string;
  state: string | null;
  template: Template;
  passwordlessType: PasswordlessType;
  isNewUser: boolean;
  tokens: IssuedTokens;
}

/** What the approving page shows about the sign-in it is asked to approve. */
export interface ApprovalDetails {
  /** Three two-digit numbers in ascending order; one is the number the waiting browser shows. */
  choices: number[];
  userAgent: string | null;
  place: string | null;
  requestedAt: number;
}

export interface VerifyServiceOptions {
  db: Db;
  clock: Clock;
  provider: PasswordlessProvider;
  users: UserService;
  sessions: SessionService;
  audit: AuditLog;
  limits: PasswordlessLimits;
  budget: CodeFailureBudget;
  hashBinding: (binding: string) => string;
  config: Pick<Config, "passwordless">;
}

/**
 * A wrong pick of the approval number kills the sign-in at once: with three choices a
 * second pick would let a person who does not see the waiting browser approve by luck.
 */
const APPROVAL_MISSES_ALLOWED = 1;

/** Checking codes and links, approving from another device, and completing the sign-in. */
export function createVerifyService(options: VerifyServiceOptions) {
  const { db, clock, provider, users, sessions, audit, limits, budget, config } = options;
  const maxAttempts = config.passwordless.maxAttempts;
  /** Links are not attempt-limited: their token is unguessable (SECURITY.md 7). */
  const LINK = Number.POSITIVE_INFINITY;

  /** Throws why the challenge is closed now; if it looks open again, the conditional write lost to another. */
  async function refuseLostWrite(challenge: Challenge, limit: number): Promise<never> {
    assertOpen((await findChallengeById(db, challenge.id)) ?? challenge, clock.now(), limit);
    throw new AppError("challenge_used");
  }

  /**
   * Consume → user → session → failure-budget reset → audit, in one transaction: if any
   * step fails (an audit write included) nothing is kept, the challenge stays usable and
   * no session exists. `consume` is the conditional write that makes the sign-in single-use.
   */
  /** `amr`: how the email was proved (RFC 8176 style), for the audit row and the session.created webhook. */
  async function completeSignIn(
    consume: (tx: Db) => Promise<Challenge | undefined>,
    whenLost: () => Promise<never>,
    context: RequestContext,
    amr: "otp" | "magiclink",
  ): Promise<SignInResult> {
    const result = await db.transaction().execute(async (tx) => {
      const challenge = await consume(tx);
      if (!challenge) return undefined;
      const signedIn = await users.signInVerifiedEmail(tx, challenge.email, context.locale);
      const tokens = await sessions.startSession(signedIn.user.id, context, tx);
      await budget.reset(challenge.emailHash, tx);
      await audit.record(
        {
          type: signedIn.isNewUser ? "signed_up" : "signed_in",
          userId: signedIn.user.id,
          emailHash: challenge.emailHash,
          detail: { amr },
          ...context,
        },
        tx,
      );
      return {
        email: challenge.email,
        emailHash: challenge.emailHash,
        state: challenge.state,
        template: challenge.template,
        passwordlessType: challenge.passwordlessType,
        isNewUser: signedIn.isNewUser,
        tokens,
      };
    });
    return result ?? whenLost();
  }

  async function findOpenChallenge(authRequestId: string): Promise<Challenge> {
    const challenge = await findChallengeById(db, authRequestId);
    if (!challenge) throw new AppError("challenge_not_found");
    return assertOpen(challenge, clock.now(), maxAttempts);
  }

  /** Records why the email's failure budget refused a code, then rethrows. */
  async function auditBudgetRefusal(
    error: unknown,
    { emailHash, email }: Challenge,
    context: RequestContext,
  ): Promise<never> {
    const isLocked = isAppError(error) && error.code === "code_entry_locked";
    await audit.record({
      type: isLocked ? "code_locked" : "rate_limited",
      emailHash,
      accountEmail: isLocked ? email : undefined,
      detail: { rule: "code-budget" },
      ...context,
    });
    throw error;
  }

  /**
   * Signs in with the emailed code. A closed challenge answers why before anything is
   * counted; then the challenge's attempt and the email's failure budget (which spans all
   * its challenges and every IP) are both charged before the comparison, each in one
   * conditional write, so racing guesses get no extra comparisons. Throws `invalid_code`,
   * `too_many_attempts`, `challenge_expired`, `challenge_used`, `challenge_not_found`,
   * `code_entry_locked`, `rate_limited`, `signup_disabled`.
   */
  async function verifyCode(
    { authRequestId, code }: { authRequestId: string; code: string },
    context: RequestContext,
  ): Promise<SignInResult> {
    await limits.enforceVerifyLimits(context);
    const challenge = await findOpenChallenge(authRequestId);
    const { emailHash } = challenge;
    const refused = (error: unknown) => auditBudgetRefusal(error, challenge, context);
    await budget.assertCodeEntryAllowed(emailHash, clock.now()).catch(refused);
    const now = clock.now();
    const charged = await chargeCodeAttempt(db, { id: challenge.id, now, maxAttempts });
    if (!charged) return refuseLostWrite(challenge, maxAttempts);
    await budget.chargeAttempt(emailHash, now).catch(refused);
    if (!charged.codeHash || !(await provider.checkCode(charged, code))) {
      const remaining = maxAttempts - charged.attempts;
      await audit.record({
        type: remaining > 0 ? "code_failed" : "code_locked",
        emailHash,
        accountEmail: challenge.email,
        ...context,
      });
      if (remaining <= 0) throw new AppError("too_many_attempts");
      throw new AppError("invalid_code", { extra: { attempts_remaining: remaining } });
    }
    const expectedCodeHash = charged.codeHash;
    return completeSignIn(
      (tx) => consumeChallenge(tx, { id: charged.id, now, expectedCodeHash }),
      async () => {
        throw new AppError("challenge_used");
      },
      context,
      "otp",
    );
  }

  /** The open challenge a magic link names; `invalid_link_token` when the link and the request id disagree. */
  async function findLinkChallenge(link: LinkLookup): Promise<Challenge> {
    const challenge = await provider.findLinkChallenge(db, link);
    if (!challenge) throw new AppError("invalid_link_token");
    if (link.authRequestId !== undefined && link.authRequestId !== challenge.id) {
      throw new AppError("invalid_link_token");
    }
    return assertOpen(challenge, clock.now(), LINK);
  }

  function isSameBrowser(challenge: Challenge, browserBinding: string | undefined): boolean {
    if (!browserBinding || !challenge.browserHash) return false;
    return constantTimeEqual(options.hashBinding(browserBinding), challenge.browserHash);
  }

  /**
   * Signs in with the magic link. In the browser that asked (binding cookie) it signs in
   * at once; elsewhere it answers `confirmation_required` and consumes nothing until the
   * person confirms with a click (`confirm: true`); only then is the token redeemed with
   * the provider. The address is named in that answer only when the token is already
   * proven (a made-up token next to a real request id learns nothing). Throws
   * `invalid_link_token`, `confirmation_required`, `challenge_expired`, `challenge_used`,
   * `rate_limited`, `provider_unavailable`.
   */
  async function verifyLink(
    input: LinkLookup & { confirm: boolean; browserBinding: string | undefined },
    context: RequestContext,
  ): Promise<SignInResult> {
    await limits.enforceVerifyLimits(context);
    const challenge = await findLinkChallenge(input);
    if (!input.confirm && !isSameBrowser(challenge, input.browserBinding)) {
      await audit.record({ type: "link_confirmation_required", emailHash: challenge.emailHash, ...context });
      const extra = provider.provesLinkOnLookup ? { email: challenge.email } : undefined;
      throw new AppError("confirmation_required", { extra });
    }
    if (!(await provider.redeemLink(challenge, input.linkToken))) throw new AppError("invalid_link_token");
    return completeSignIn(
      (tx) => consumeChallenge(tx, { id: challenge.id, now: clock.now() }),
      () => refuseLostWrite(challenge, LINK),
      context,
      "magiclink",
    );
  }

  /** Three numbers for the approving page: the right one and two decoys fixed per challenge, ascending. */
  function approvalChoices(challenge: Challenge): number[] {
    const right = challenge.approvalNumber ?? 0;
    const seed = Buffer.from(options.hashBinding(`approval-decoys:${challenge.id}`), "base64url");
    const choices = new Set([right]);
    for (const byte of seed) {
      if (choices.size === 3) break;
      choices.add(10 + (byte % 90));
    }
    return [...choices].sort((a, b) => a - b);
  }

  /**
   * What the approving page shows before anyone decides: the waiting browser's user
   * agent, approximate place and time, and the three numbers to pick from. Nothing is
   * consumed. Throws as `verifyLink`, and `challenge_used` for a code-only challenge.
   */
  async function approvalDetails(link: LinkLookup, context: RequestContext): Promise<ApprovalDetails> {
    await limits.enforceVerifyLimits(context);
    const challenge = await findLinkChallenge(link);
    if (challenge.approvalNumber === null) throw new AppError("challenge_used");
    return {
      choices: approvalChoices(challenge),
      userAgent: challenge.userAgent,
      place: challenge.place,
      requestedAt: challenge.createdAt,
    };
  }

  /**
   * Approves, from this device, the sign-in of the browser that started it, when the
   * person picked the number that browser shows; this device gets no session. A wrong
   * pick stops the sign-in for good (`approval_number_mismatch`). Throws as `verifyLink`,
   * never `confirmation_required`.
   */
  async function approveLink(
    link: LinkLookup & { approvalNumber: number },
    context: RequestContext,
  ): Promise<{ email: string }> {
    await limits.enforceVerifyLimits(context);
    const challenge = await findLinkChallenge(link);
    const now = clock.now();
    // The token first: where only redeeming proves it (Scalekit), a made-up token next to a
    // real request id must not stop the sign-in with a wrong pick. Using up a real link
    // on a wrong pick loses nothing, as that pick stops the sign-in (one miss allowed).
    if (!(await provider.redeemLink(challenge, link.linkToken))) throw new AppError("invalid_link_token");
    if (challenge.approvalNumber !== link.approvalNumber) {
      await chargeApprovalMiss(db, { id: challenge.id, now, maxMisses: APPROVAL_MISSES_ALLOWED });
      await audit.record({ type: "approval_number_mismatch", emailHash: challenge.emailHash, ...context });
      throw new AppError("approval_number_mismatch");
    }
    const approved = await approveChallenge(db, {
      id: challenge.id,
      now,
      approvalNumber: link.approvalNumber,
    });
    if (!approved) return refuseLostWrite(challenge, LINK);
    await audit.record({ type: "link_approved", emailHash: challenge.emailHash, ...context });
    return { email: challenge.email };
  }

  /**
   * "This wasn't me": the sign-in can no longer be approved or completed, and the refusal
   * is audited for the account's owner. Throws as `verifyLink`.
   */
  async function refuseLink(link: LinkLookup, context: RequestContext): Promise<void> {
    await limits.enforceVerifyLimits(context);
    const challenge = await findLinkChallenge(link);
    // Where only redeeming proves the token (Scalekit), redeeming also makes the link useless: as intended.
    if (!provider.provesLinkOnLookup && !(await provider.redeemLink(challenge, link.linkToken))) {
      throw new AppError("invalid_link_token");
    }
    const refused = await refuseChallenge(db, { id: challenge.id, now: clock.now() });
    if (!refused) return refuseLostWrite(challenge, LINK);
    await audit.record({ type: "approval_refused", emailHash: challenge.emailHash, ...context });
  }

  /** The state of a challenge and its approval number, for the browser that started it only (others get not found). */
  async function challengeStatus(
    authRequestId: string,
    browserBinding: string | undefined,
  ): Promise<{ status: ChallengeStatus; approvalNumber: number | null }> {
    const challenge = await findChallengeById(db, authRequestId);
    if (!challenge || !isSameBrowser(challenge, browserBinding)) throw new AppError("challenge_not_found");
    return { status: statusOf(challenge, clock.now()), approvalNumber: challenge.approvalNumber };
  }

  /** Signs in the starting browser after another device approved. Throws `approval_pending` and as `verifyLink`. */
  async function completeApproval(
    authRequestId: string,
    browserBinding: string | undefined,
    context: RequestContext,
  ): Promise<SignInResult> {
    await limits.enforceVerifyLimits(context);
    const { status } = await challengeStatus(authRequestId, browserBinding);
    if (status === "pending") throw new AppError("approval_pending");
    const browserHash = options.hashBinding(browserBinding ?? "");
    return completeSignIn(
      (tx) => consumeApprovedChallenge(tx, { id: authRequestId, now: clock.now(), browserHash }),
      async () => {
        throw new AppError(status === "expired" ? "challenge_expired" : "challenge_used");
      },
      context,
      "magiclink",
    );
  }

  return {
    verifyCode,
    verifyLink,
    approvalDetails,
    approveLink,
    refuseLink,
    challengeStatus,
    completeApproval,
  };
}

export type VerifyService = ReturnType<typeof createVerifyService>;
