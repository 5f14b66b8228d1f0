import { randomInt } from "node:crypto";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Db } from "../db/database.js";
import { AppError, isAppError } from "../errors.js";
import type { Outbox } from "../mail/outbox.js";
import type { AuditLog } from "../security/audit.js";
import { randomId } from "../security/crypto.js";
import type { RequestContext } from "../sessions/index.js";
import type { UserService } from "../users/index.js";
import { assertOpen, type Challenge, type PasswordlessType, type Template } from "./challenge.js";
import {
  findChallengeById,
  insertChallenge,
  replaceChallengeSecrets,
  supersedePendingChallenges,
} from "./challenge-store.js";
import type { PasswordlessLimits } from "./limits.js";
import type { ChallengeDraft, IssuedSecrets, PasswordlessProvider } from "./provider.js";
import { parseAllowedRedirect } from "./redirect.js";

export interface SendInput {
  email: string;
  template: Template;
  state: string | null;
  expiresInSeconds: number | undefined;
  magicLinkAuthUri: string | undefined;
  /** The server-issued binding value of the browser that asks (SECURITY.md 10). */
  browserBinding: string;
  /** Set when that browser holds a device cookie for this address's account. */
  knownDeviceId: string | undefined;
  /** An approximate place from a trusted proxy ("Berlin, DE"), never precise. */
  place: string | undefined;
  /** An administrator's invitation: the mail says so and names no requesting browser. */
  isInvitation?: boolean;
}

export interface IssuedChallenge {
  authRequestId: string;
  expiresAt: number;
  expiresInSeconds: number;
  passwordlessType: PasswordlessType;
}

export interface SendServiceOptions {
  db: Db;
  clock: Clock;
  provider: PasswordlessProvider;
  outbox: Outbox;
  users: UserService;
  audit: AuditLog;
  limits: PasswordlessLimits;
  hashEmail: (email: string) => string;
  hashBinding: (binding: string) => string;
  config: Pick<Config, "passwordless" | "server" | "isProduction">;
}

type MailTemplate = Template | "NO_ACCOUNT" | "INVITATION";

/** How long a client should wait when the outbox is full: the worker drains it in about this time. */
const OUTBOX_FULL_RETRY_SECONDS = 60;
const MAX_USER_AGENT = 512;

/** A two-digit number (10–99) the waiting browser shows for cross-device approval. */
function newApprovalNumber(): number {
  return randomInt(10, 100);
}

/** Starting and resending sign-in mail: limits, the challenge row and its mail in one transaction, the outbox cap. */
export function createSendService(options: SendServiceOptions) {
  const { db, clock, provider, outbox, users, audit, limits, config } = options;
  const settings = config.passwordless;

  function linkBaseFor(magicLinkAuthUri: string | null | undefined): URL {
    if (!magicLinkAuthUri) return new URL("/verify-magic-link", config.server.publicUrl);
    return parseAllowedRedirect(magicLinkAuthUri, {
      allowedOrigins: settings.allowedRedirectOrigins,
      allowedPrefixes: settings.allowedRedirectPrefixes,
      isProduction: config.isProduction,
    });
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

  /** `requester`: the browser that asked, named in the mail so its owner can tell it was them. */
  async function queueMail(
    executor: Db,
    draft: ChallengeDraft,
    secrets: IssuedSecrets,
    template: MailTemplate,
    requester: { userAgent: string | undefined; place: string | undefined; locale: string | undefined },
  ) {
    if (!secrets.mail) return undefined;
    const hasSecrets = template !== "NO_ACCOUNT";
    return outbox.enqueueSignInMail(executor, {
      to: draft.email,
      authRequestId: draft.id,
      code: hasSecrets ? secrets.mail.code : undefined,
      link: hasSecrets ? secrets.mail.link : undefined,
      expiresInMinutes: Math.max(1, Math.round(draft.expiresInSeconds / 60)),
      template,
      requestedAt: clock.now(),
      expiresAt: draft.expiresAt,
      userAgent: requester.userAgent?.slice(0, MAX_USER_AGENT),
      place: requester.place,
      locale: requester.locale,
    });
  }

  /**
   * Runs the transaction that queues a mail. A full outbox (the global cap on queued mail)
   * rolls it back and answers like every other send limit: 429 `rate_limited` with
   * Retry-After, the same for every address (SECURITY.md 14, 34).
   */
  async function withinOutboxCap<T>(emailHash: string, context: RequestContext, work: () => Promise<T>) {
    try {
      return await work();
    } catch (error) {
      if (!isAppError(error) || error.code !== "mail_unavailable") throw error;
      await audit.record({ type: "rate_limited", emailHash, detail: { rule: "outbox" }, ...context });
      throw new AppError("rate_limited", { retryAfterSeconds: OUTBOX_FULL_RETRY_SECONDS, cause: error });
    }
  }

  /**
   * Starts a sign-in: stores the challenge, its mail and its audit row together and retires this
   * browser's older challenges for the email (never another browser's). Nothing here
   * depends on whether the address has an account (see `mailTemplateFor`), so the answer
   * and its timing are the same for every address. Throws `invalid_redirect_uri`,
   * `rate_limited` (send limits, or a full outbox), `provider_unavailable`.
   */
  async function send(input: SendInput, context: RequestContext): Promise<IssuedChallenge> {
    const linkBase = linkBaseFor(input.magicLinkAuthUri);
    const emailHash = options.hashEmail(input.email);
    const browserHash = options.hashBinding(input.browserBinding);
    await limits.enforceSendLimits(emailHash, { browserHash, knownDeviceId: input.knownDeviceId }, context);
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
    const mailTemplate = input.isInvitation
      ? "INVITATION"
      : await mailTemplateFor(input.email, input.template);
    const queued = await withinOutboxCap(emailHash, context, () =>
      db.transaction().execute(async (tx) => {
        await supersedePendingChallenges(tx, { emailHash, browserHash, now });
        await insertChallenge(tx, {
          ...draft,
          emailHash,
          provider: provider.name,
          providerRequestId: secrets.providerRequestId,
          codeHash: secrets.codeHash,
          linkHash: secrets.linkHash,
          browserHash,
          redirectUri: input.magicLinkAuthUri ? linkBase.toString() : null,
          approvalNumber: draft.passwordlessType === "OTP" ? null : newApprovalNumber(),
          userAgent: context.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
          place: input.place ?? null,
          now,
          ip: context.ip,
        });
        const queued = await queueMail(tx, draft, secrets, mailTemplate, {
          userAgent: context.userAgent,
          place: input.place,
          locale: context.locale,
        });
        await audit.record(
          {
            type: "challenge_started",
            emailHash,
            accountEmail: input.email,
            detail: { type: draft.passwordlessType },
            ...context,
          },
          tx,
        );
        return queued;
      }),
    );
    outbox.dispatch(queued);
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
   * original expiry are kept; the limits count against the browser that started it.
   * Throws `challenge_not_found`, `challenge_expired`, `challenge_used`,
   * `too_many_attempts`, `rate_limited`.
   */
  async function resend(
    authRequestId: string,
    knownDeviceIdFor: (emailHash: string) => string | undefined,
    context: RequestContext,
  ): Promise<IssuedChallenge> {
    const challenge = await findOpenChallenge(authRequestId);
    const requester = {
      browserHash: challenge.browserHash ?? "",
      knownDeviceId: knownDeviceIdFor(challenge.emailHash),
    };
    await limits.enforceSendLimits(challenge.emailHash, requester, context);
    const linkBase = challenge.redirectUri ? new URL(challenge.redirectUri) : linkBaseFor(undefined);
    const draft: ChallengeDraft = {
      ...challenge,
      linkBase,
      expiresInSeconds: Math.max(1, Math.round((challenge.expiresAt - clock.now()) / 1000)),
    };
    const secrets = await provider.reissue(challenge, draft);
    const mailTemplate = await mailTemplateFor(challenge.email, challenge.template);
    const replacement = await withinOutboxCap(challenge.emailHash, context, () =>
      db.transaction().execute(async (tx) => {
        const updated = await replaceChallengeSecrets(tx, {
          id: challenge.id,
          now: clock.now(),
          codeHash: secrets.codeHash,
          linkHash: secrets.linkHash,
          providerRequestId: secrets.providerRequestId ?? undefined,
        });
        if (!updated) return { replaced: false as const };
        const queued = await queueMail(tx, draft, secrets, mailTemplate, {
          userAgent: context.userAgent,
          place: challenge.place ?? undefined,
          locale: context.locale,
        });
        return { replaced: true as const, queued };
      }),
    );
    if (!replacement.replaced) {
      assertOpen((await findChallengeById(db, challenge.id)) ?? challenge, clock.now(), settings.maxAttempts);
      throw new AppError("challenge_used");
    }
    outbox.dispatch(replacement.queued);
    await audit.record({
      type: "challenge_resent",
      emailHash: challenge.emailHash,
      accountEmail: challenge.email,
      ...context,
    });
    return {
      authRequestId: challenge.id,
      expiresAt: challenge.expiresAt,
      expiresInSeconds: draft.expiresInSeconds,
      passwordlessType: challenge.passwordlessType,
    };
  }

  /**
   * A one-time sign-in link for support (the admin API), returned instead of mailed. It is
   * an ordinary single-use challenge bound to no browser, so wherever it is opened it signs
   * in only after the confirmation click. Throws `sign_in_links_disabled` when the provider
   * keeps its links to itself (Scalekit).
   */
  async function createSupportLink(
    email: string,
    ttlSeconds: number,
    context: RequestContext,
    auditDetail?: Record<string, string>,
  ) {
    const now = clock.now();
    const emailHash = options.hashEmail(email);
    const draft: ChallengeDraft = {
      id: randomId(),
      email,
      template: "SIGNIN",
      state: null,
      passwordlessType: "LINK",
      expiresInSeconds: ttlSeconds,
      expiresAt: now + ttlSeconds * 1000,
      linkBase: linkBaseFor(undefined),
    };
    const secrets = await provider.issue(draft);
    const link = secrets.mail?.link;
    if (!link) throw new AppError("sign_in_links_disabled");
    await db.transaction().execute(async (tx) => {
      await insertChallenge(tx, {
        ...draft,
        emailHash,
        provider: provider.name,
        providerRequestId: secrets.providerRequestId,
        codeHash: null,
        linkHash: secrets.linkHash,
        browserHash: null,
        redirectUri: null,
        approvalNumber: null,
        userAgent: null,
        place: null,
        now,
        ip: context.ip,
      });
      await audit.record({ type: "support_link_created", emailHash, ...context, detail: auditDetail }, tx);
    });
    return { link, expiresAt: draft.expiresAt };
  }

  return { send, resend, createSupportLink };
}

export type SendService = ReturnType<typeof createSendService>;
