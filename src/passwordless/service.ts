import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Db } from "../db/database.js";
import { AppError, isAppError } from "../errors.js";
import type { Outbox } from "../mail/outbox.js";
import type { AuditLog } from "../security/audit.js";
import { clientKeyOf } from "../security/client-ip.js";
import type { CodeFailureBudget } from "../security/code-failure-budget.js";
import { constantTimeEqual, keyedHash, randomId } from "../security/crypto.js";
import { enforceRateLimits, type RateLimitStore } from "../security/rate-limit.js";
import type { IssuedTokens, RequestContext, SessionService } from "../sessions/index.js";
import type { UserService } from "../users/index.js";
import {
  approveChallenge,
  type Challenge,
  chargeCodeAttempt,
  consumeApprovedChallenge,
  consumeChallenge,
  findChallengeById,
  insertChallenge,
  replaceChallengeSecrets,
  supersedePendingChallenges,
} from "./challenge-store.js";
import type {
  ChallengeDraft,
  IssuedSecrets,
  LinkLookup,
  PasswordlessProvider,
  PasswordlessType,
  Template,
} from "./provider.js";
import { parseAllowedRedirect } from "./redirect.js";

export interface SendInput {
  email: string;
  template: Template;
  state: string | null;
  expiresInSeconds: number | undefined;
  magicLinkAuthUri: string | undefined;
  /** The plaintext binding cookie of the browser that asks (SECURITY.md 10). */
  browserBinding: string;
}

export interface IssuedChallenge {
  authRequestId: string;
  expiresAt: number;
  expiresInSeconds: number;
  passwordlessType: PasswordlessType;
}

export interface SignInResult {
  email: string;
  state: string | null;
  template: Template;
  passwordlessType: PasswordlessType;
  isNewUser: boolean;
  tokens: IssuedTokens;
}

export type ChallengeStatus = "pending" | "approved" | "consumed" | "expired";

export interface PasswordlessServiceOptions {
  db: Db;
  clock: Clock;
  provider: PasswordlessProvider;
  outbox: Outbox;
  users: UserService;
  sessions: SessionService;
  audit: AuditLog;
  limits: RateLimitStore;
  budget: CodeFailureBudget;
  emailKey: Buffer;
  bindingKey: Buffer;
  config: Pick<Config, "passwordless" | "limits" | "server" | "isProduction">;
}

type MailTemplate = Template | "NO_ACCOUNT";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** How long a client should wait when the outbox is full: the worker drains it in about this time. */
const OUTBOX_FULL_RETRY_SECONDS = 60;

/** Why a challenge cannot be used now, as the catalogue code a client sees; undefined while it is open. */
function whyClosed(challenge: Challenge, now: number, maxAttempts: number): AppError | undefined {
  if (challenge.consumedAt !== null || challenge.approvedAt !== null) return new AppError("challenge_used");
  if (challenge.supersededAt !== null) {
    return new AppError("challenge_used", { detail: "A newer sign-in email was sent. Use the latest one." });
  }
  if (challenge.expiresAt <= now) return new AppError("challenge_expired");
  if (challenge.attempts >= maxAttempts) return new AppError("too_many_attempts");
  return undefined;
}

/** The reason a conditional write found the challenge closed. */
function closedReason(challenge: Challenge, now: number, maxAttempts: number): AppError {
  return whyClosed(challenge, now, maxAttempts) ?? new AppError("challenge_used");
}

function assertOpen(challenge: Challenge, now: number, maxAttempts: number): Challenge {
  const reason = whyClosed(challenge, now, maxAttempts);
  if (reason) throw reason;
  return challenge;
}

export function createPasswordlessService(options: PasswordlessServiceOptions) {
  const { db, clock, provider, outbox, users, sessions, audit, budget, config } = options;
  const settings = config.passwordless;
  const hashEmail = (email: string) => keyedHash(options.emailKey, email);
  const hashBinding = (binding: string) => keyedHash(options.bindingKey, binding);

  async function limit(
    rules: Parameters<typeof enforceRateLimits>[1],
    context: RequestContext,
    emailHash?: string,
  ) {
    if (!config.limits.enabled) return;
    let refusedBy: string | undefined;
    try {
      await enforceRateLimits(options.limits, rules, clock.now(), (rule) => {
        refusedBy = rule.key.split(":")[0] ?? "";
      });
    } catch (error) {
      // Recorded before answering, so the row exists when the 429 arrives; an audit failure never hides the 429.
      if (refusedBy !== undefined) {
        await audit
          .record({ type: "rate_limited", emailHash, detail: { rule: refusedBy }, ...context })
          .catch(() => {});
      }
      throw error;
    }
  }

  /** Per-IP first, then the email's cooldown and hourly cap — the same for known and unknown emails. */
  async function enforceSendLimits(emailHash: string, context: RequestContext) {
    await limit(
      [
        {
          key: `send-ip:${clientKeyOf(context.ip)}`,
          windowMs: MINUTE_MS,
          limit: config.limits.sendsPerIpPerMinute,
        },
        ...(config.limits.sendCooldownSeconds > 0
          ? [
              {
                key: `send-cooldown:${emailHash}`,
                windowMs: config.limits.sendCooldownSeconds * 1000,
                limit: 1,
              },
            ]
          : []),
        { key: `send-hour:${emailHash}`, windowMs: HOUR_MS, limit: config.limits.sendsPerEmailPerHour },
      ],
      context,
      emailHash,
    );
  }

  function draftFor(challenge: {
    id: string;
    email: string;
    template: Template;
    state: string | null;
    passwordlessType: PasswordlessType;
    expiresAt: number;
    linkBase: URL;
  }): ChallengeDraft {
    return {
      ...challenge,
      expiresInSeconds: Math.max(1, Math.round((challenge.expiresAt - clock.now()) / 1000)),
    };
  }

  /**
   * With sign-up closed, an address without an account is mailed a note saying so instead
   * of a code that could only fail; the API answers the same either way (SECURITY.md 32).
   * With sign-up open nothing is looked up, so no existence-dependent work sits on the
   * request path.
   */
  async function mailTemplateFor(email: string, template: Template): Promise<MailTemplate> {
    if (settings.allowSignup) return template;
    return (await users.hasAccount(db, email)) ? template : "NO_ACCOUNT";
  }

  async function queueMail(
    executor: Db,
    challenge: ChallengeDraft,
    secrets: IssuedSecrets,
    template: MailTemplate,
  ) {
    if (!secrets.mail) return;
    const hasSecrets = template !== "NO_ACCOUNT";
    await outbox.enqueueSignInMail(executor, {
      to: challenge.email,
      authRequestId: challenge.id,
      code: hasSecrets ? secrets.mail.code : undefined,
      link: hasSecrets ? secrets.mail.link : undefined,
      expiresInMinutes: Math.max(1, Math.round(challenge.expiresInSeconds / 60)),
      template,
    });
  }

  /**
   * Runs the transaction that queues a mail. A full outbox (the global cap on queued mail)
   * rolls it back and answers like every other send limit: 429 `rate_limited` with
   * Retry-After, the same for every address (SECURITY.md 14, 34).
   */
  async function withinOutboxCap<T>(
    emailHash: string,
    context: RequestContext,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isAppError(error) || error.code !== "mail_unavailable") throw error;
      await audit.record({ type: "rate_limited", emailHash, detail: { rule: "outbox" }, ...context });
      throw new AppError("rate_limited", { retryAfterSeconds: OUTBOX_FULL_RETRY_SECONDS, cause: error });
    }
  }

  /**
   * Starts a sign-in: stores the challenge and its mail together, retires older
   * challenges for the email. Nothing here depends on whether the address has an account
   * (see `mailTemplateFor`), so the answer and its timing are the same for every address.
   * Throws `invalid_redirect_uri`, `rate_limited` (send limits, or a full outbox),
   * `provider_unavailable`.
   */
  async function send(input: SendInput, context: RequestContext): Promise<IssuedChallenge> {
    const linkBase = input.magicLinkAuthUri
      ? parseAllowedRedirect(input.magicLinkAuthUri, {
          allowedOrigins: settings.allowedRedirectOrigins,
          isProduction: config.isProduction,
        })
      : new URL("/verify-magic-link", config.server.publicUrl);
    const emailHash = hashEmail(input.email);
    await enforceSendLimits(emailHash, context);
    const now = clock.now();
    const expiresInSeconds = input.expiresInSeconds ?? settings.challengeTtlSeconds;
    const draft: ChallengeDraft = {
      id: randomId(),
      email: input.email,
      template: input.template,
      state: input.state,
      passwordlessType: settings.type,
      expiresInSeconds,
      expiresAt: now + expiresInSeconds * 1000,
      linkBase,
    };
    const secrets = await provider.issue(draft);
    const mailTemplate = await mailTemplateFor(input.email, input.template);
    await withinOutboxCap(emailHash, context, () =>
      db.transaction().execute(async (tx) => {
        await supersedePendingChallenges(tx, emailHash, now);
        await insertChallenge(tx, {
          ...draft,
          emailHash,
          provider: provider.name,
          providerRequestId: secrets.providerRequestId,
          codeHash: secrets.codeHash,
          linkHash: secrets.linkHash,
          browserHash: hashBinding(input.browserBinding),
          redirectUri: input.magicLinkAuthUri ? linkBase.toString() : null,
          now,
          ip: context.ip,
        });
        await queueMail(tx, draft, secrets, mailTemplate);
      }),
    );
    outbox.wake();
    await audit.record({
      type: "challenge_started",
      emailHash,
      detail: { type: draft.passwordlessType },
      ...context,
    });
    return {
      authRequestId: draft.id,
      expiresAt: draft.expiresAt,
      expiresInSeconds,
      passwordlessType: draft.passwordlessType,
    };
  }

  async function findOpenChallenge(authRequestId: string): Promise<Challenge> {
    const challenge = await findChallengeById(db, authRequestId);
    if (!challenge) throw new AppError("challenge_not_found");
    return assertOpen(challenge, clock.now(), settings.maxAttempts);
  }

  /**
   * New code and link for the same request; the old ones die. The attempt count and the
   * original expiry are kept. Throws `challenge_not_found`, `challenge_expired`,
   * `challenge_used`, `too_many_attempts`, `rate_limited`.
   */
  async function resend(authRequestId: string, context: RequestContext): Promise<IssuedChallenge> {
    const challenge = await findOpenChallenge(authRequestId);
    await enforceSendLimits(challenge.emailHash, context);
    const linkBase = challenge.redirectUri
      ? new URL(challenge.redirectUri)
      : new URL("/verify-magic-link", config.server.publicUrl);
    const draft = draftFor({ ...challenge, linkBase });
    const secrets = await provider.reissue(challenge, draft);
    const mailTemplate = await mailTemplateFor(challenge.email, challenge.template);
    const replaced = await withinOutboxCap(challenge.emailHash, context, () =>
      db.transaction().execute(async (tx) => {
        const updated = await replaceChallengeSecrets(tx, {
          id: challenge.id,
          now: clock.now(),
          codeHash: secrets.codeHash,
          linkHash: secrets.linkHash,
          providerRequestId: secrets.providerRequestId ?? undefined,
        });
        if (updated) await queueMail(tx, draft, secrets, mailTemplate);
        return updated;
      }),
    );
    if (!replaced) throw closedReason(challenge, clock.now(), settings.maxAttempts);
    outbox.wake();
    await audit.record({ type: "challenge_resent", emailHash: challenge.emailHash, ...context });
    return {
      authRequestId: challenge.id,
      expiresAt: challenge.expiresAt,
      expiresInSeconds: draft.expiresInSeconds,
      passwordlessType: challenge.passwordlessType,
    };
  }

  async function completeSignIn(challenge: Challenge, context: RequestContext): Promise<SignInResult> {
    const signedIn = await users.signInVerifiedEmail(db, challenge.email);
    const tokens = await sessions.startSession(signedIn.user.id, context);
    await budget.reset(challenge.emailHash);
    await audit.record({
      type: signedIn.isNewUser ? "signed_up" : "signed_in",
      userId: signedIn.user.id,
      emailHash: challenge.emailHash,
      ...context,
    });
    return {
      email: challenge.email,
      state: challenge.state,
      template: challenge.template,
      passwordlessType: challenge.passwordlessType,
      isNewUser: signedIn.isNewUser,
      tokens,
    };
  }

  async function limitVerifies(context: RequestContext) {
    await limit(
      [
        {
          key: `verify-ip:${clientKeyOf(context.ip)}`,
          windowMs: MINUTE_MS,
          limit: config.limits.verifiesPerIpPerMinute,
        },
      ],
      context,
    );
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
    await limitVerifies(context);
    const challenge = await findOpenChallenge(authRequestId);
    const { emailHash } = challenge;
    const refused = (error: unknown) => auditBudgetRefusal(error, emailHash, context);
    await budget.assertCodeEntryAllowed(emailHash, clock.now()).catch(refused);
    const now = clock.now();
    const charged = await chargeCodeAttempt(db, { id: challenge.id, now, maxAttempts: settings.maxAttempts });
    if (!charged) throw closedReason(await currentState(challenge), now, settings.maxAttempts);
    await budget.chargeAttempt(emailHash, now).catch(refused);
    if (!charged.codeHash || !(await provider.checkCode(charged, code))) {
      const remaining = settings.maxAttempts - charged.attempts;
      await audit.record({ type: remaining > 0 ? "code_failed" : "code_locked", emailHash, ...context });
      if (remaining <= 0) throw new AppError("too_many_attempts");
      throw new AppError("invalid_code", { extra: { attempts_remaining: remaining } });
    }
    const consumed = await consumeChallenge(db, { id: charged.id, now, expectedCodeHash: charged.codeHash });
    if (!consumed) throw new AppError("challenge_used");
    return completeSignIn(consumed, context);
  }

  /** Records why the email's failure budget refused a code, then rethrows. */
  async function auditBudgetRefusal(
    error: unknown,
    emailHash: string,
    context: RequestContext,
  ): Promise<never> {
    const isLocked = isAppError(error) && error.code === "code_entry_locked";
    await audit.record({
      type: isLocked ? "code_locked" : "rate_limited",
      emailHash,
      detail: { rule: "code-budget" },
      ...context,
    });
    throw error;
  }

  /** The challenge as it is now, after a conditional write found it closed. */
  async function currentState(challenge: Challenge): Promise<Challenge> {
    return (await findChallengeById(db, challenge.id)) ?? challenge;
  }

  async function findLinkChallenge(link: LinkLookup): Promise<Challenge> {
    const challenge = await provider.findLinkChallenge(db, link);
    if (!challenge) throw new AppError("invalid_link_token");
    // Links are not attempt-limited: their token is unguessable (SECURITY.md 7).
    return assertOpen(challenge, clock.now(), Number.POSITIVE_INFINITY);
  }

  function isSameBrowser(challenge: Challenge, browserBinding: string | undefined): boolean {
    if (!browserBinding || !challenge.browserHash) return false;
    return constantTimeEqual(hashBinding(browserBinding), challenge.browserHash);
  }

  /**
   * Signs in with the magic link. In the browser that asked (binding cookie) it signs in
   * at once; elsewhere it answers `confirmation_required` and consumes nothing until the
   * person confirms with a click (`confirm: true`); only then is the token redeemed with
   * the provider. Throws `invalid_link_token`, `confirmation_required`, `challenge_expired`,
   * `challenge_used`, `rate_limited`, `provider_unavailable`.
   */
  async function verifyLink(
    input: {
      linkToken: string;
      authRequestId?: string;
      confirm: boolean;
      browserBinding: string | undefined;
    },
    context: RequestContext,
  ): Promise<SignInResult> {
    await limitVerifies(context);
    const challenge = await findLinkChallenge(input);
    if (input.authRequestId !== undefined && input.authRequestId !== challenge.id) {
      throw new AppError("invalid_link_token");
    }
    if (!input.confirm && !isSameBrowser(challenge, input.browserBinding)) {
      await audit.record({ type: "link_confirmation_required", emailHash: challenge.emailHash, ...context });
      throw new AppError("confirmation_required", { extra: { email: challenge.email } });
    }
    if (!(await provider.redeemLink(challenge, input.linkToken))) throw new AppError("invalid_link_token");
    const consumed = await consumeChallenge(db, { id: challenge.id, now: clock.now() });
    if (!consumed) throw closedReason(challenge, clock.now(), Number.POSITIVE_INFINITY);
    return completeSignIn(consumed, context);
  }

  /**
   * Approves, from this device, the sign-in of the browser that started it; this device
   * gets no session. Throws as `verifyLink`, never `confirmation_required`.
   */
  async function approveLink(link: LinkLookup, context: RequestContext): Promise<{ email: string }> {
    await limitVerifies(context);
    const challenge = await findLinkChallenge(link);
    if (link.authRequestId !== undefined && link.authRequestId !== challenge.id) {
      throw new AppError("invalid_link_token");
    }
    if (!(await provider.redeemLink(challenge, link.linkToken))) throw new AppError("invalid_link_token");
    const approved = await approveChallenge(db, { id: challenge.id, now: clock.now() });
    if (!approved) throw closedReason(challenge, clock.now(), Number.POSITIVE_INFINITY);
    await audit.record({ type: "link_approved", emailHash: challenge.emailHash, ...context });
    return { email: challenge.email };
  }

  /** The state of a challenge, for the browser that started it only (others get not found). */
  async function challengeStatus(
    authRequestId: string,
    browserBinding: string | undefined,
  ): Promise<ChallengeStatus> {
    const challenge = await findChallengeById(db, authRequestId);
    if (!challenge || !isSameBrowser(challenge, browserBinding)) throw new AppError("challenge_not_found");
    if (challenge.consumedAt !== null) return "consumed";
    if (challenge.expiresAt <= clock.now() || challenge.supersededAt !== null) return "expired";
    return challenge.approvedAt !== null ? "approved" : "pending";
  }

  /** Signs in the starting browser after another device approved. Throws `approval_pending` and as `verifyLink`. */
  async function completeApproval(
    authRequestId: string,
    browserBinding: string | undefined,
    context: RequestContext,
  ): Promise<SignInResult> {
    await limitVerifies(context);
    const status = await challengeStatus(authRequestId, browserBinding);
    if (status === "pending") throw new AppError("approval_pending");
    const consumed = await consumeApprovedChallenge(db, {
      id: authRequestId,
      now: clock.now(),
      browserHash: hashBinding(browserBinding ?? ""),
    });
    if (!consumed) throw new AppError(status === "expired" ? "challenge_expired" : "challenge_used");
    return completeSignIn(consumed, context);
  }

  return { send, resend, verifyCode, verifyLink, approveLink, challengeStatus, completeApproval };
}

export type PasswordlessService = ReturnType<typeof createPasswordlessService>;
