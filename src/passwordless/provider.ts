import type { Db } from "../db/database.js";
import type { Challenge, PasswordlessType, Template } from "./challenge.js";

export type { PasswordlessType, Template };

/** What the service knows about a challenge before its secrets exist. */
export interface ChallengeDraft {
  id: string;
  email: string;
  template: Template;
  state: string | null;
  passwordlessType: PasswordlessType;
  expiresInSeconds: number;
  expiresAt: number;
  /** The validated base the magic link points to. */
  linkBase: URL;
}

/** The secrets a provider issued, as the challenge row keeps them. */
export interface IssuedSecrets {
  codeHash: string | null;
  linkHash: string | null;
  providerRequestId: string | null;
  /** Set when Latchkey must deliver the mail itself (through the outbox, in the same transaction). */
  mail?: { code: string | undefined; link: string | undefined };
}

/** What a magic-link request carries to find its challenge. */
export interface LinkLookup {
  linkToken: string;
  /** Latchkey's `auth_request_id`, when the client sent one (a Scalekit magic link carries it). */
  authRequestId?: string | undefined;
}

/**
 * Where one-time secrets come from and how they are checked. The service above owns the
 * challenge rows, limits, the failure budget, browser binding, users and sessions, so a
 * provider cannot weaken them. Any function may throw `provider_unavailable` or
 * `rate_limited` when the secrets live elsewhere.
 */
export interface PasswordlessProvider {
  readonly name: "builtin" | "scalekit";
  /**
   * Whether `findLinkChallenge` already proved the token (found by its digest). When not
   * (Scalekit), nothing about the challenge, not even its address, is told before
   * `redeemLink` proved it.
   */
  readonly provesLinkOnLookup: boolean;
  /** Creates the secrets for a new challenge. */
  issue(draft: ChallengeDraft): Promise<IssuedSecrets>;
  /** New secrets for an open challenge (resend); the old ones die. Throws `challenge_expired`, `challenge_used`. */
  reissue(challenge: Challenge, draft: ChallengeDraft): Promise<IssuedSecrets>;
  /**
   * Whether `code` is right. Called only after the attempt has been charged. Throws
   * `too_many_attempts`, `challenge_expired`, `challenge_used` when the provider's own
   * record of the challenge is closed.
   */
  checkCode(challenge: Challenge, code: string): Promise<boolean>;
  /**
   * The challenge a magic link claims to belong to, without consuming anything; undefined
   * if unknown. A provider that cannot look a token up without redeeming it (Scalekit)
   * finds the challenge by `authRequestId` and proves the token in `redeemLink`.
   */
  findLinkChallenge(db: Db, link: LinkLookup): Promise<Challenge | undefined>;
  /**
   * Whether `linkToken` is the live link of `challenge`; where the provider keeps the
   * link, this uses it up there. Called once, only after Latchkey decided to consume,
   * approve or (on a wrong approval number) stop the challenge. Throws as `checkCode`.
   */
  redeemLink(challenge: Challenge, linkToken: string): Promise<boolean>;
}
