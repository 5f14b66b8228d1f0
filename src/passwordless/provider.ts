import type { Db } from "../db/database.js";
import type { Challenge } from "./challenge-store.js";

export type PasswordlessType = "OTP" | "LINK" | "LINK_OTP";
export type Template = "SIGNIN" | "SIGNUP";

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

/**
 * Where one-time secrets come from and how they are checked. The service above owns the
 * challenge rows, limits, the failure budget, browser binding, users and sessions, so a
 * provider cannot weaken them.
 */
export interface PasswordlessProvider {
  readonly name: "builtin" | "scalekit";
  /** Creates the secrets for a new challenge. Throws `provider_unavailable` / `rate_limited`. */
  issue(draft: ChallengeDraft): Promise<IssuedSecrets>;
  /** New secrets for an open challenge (resend); the old ones die. */
  reissue(challenge: Challenge, draft: ChallengeDraft): Promise<IssuedSecrets>;
  /** Whether `code` is right. Called only after the attempt has been charged. */
  checkCode(challenge: Challenge, code: string): Promise<boolean>;
  /** The challenge a link token belongs to, without consuming anything; undefined if unknown. */
  findLinkChallenge(db: Db, linkToken: string): Promise<Challenge | undefined>;
}
