import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { AppError } from "../errors.js";
import { SUPPORTED_LOCALES } from "../i18n/locales.js";
import { randomId } from "../security/crypto.js";
import {
  findLocaleByEmail,
  findLocaleById,
  findUserByEmail,
  findUserById,
  recordLogin,
  type User,
  updateLocale,
  upsertSignedInUser,
} from "./store.js";

export interface SignedInUser {
  user: User;
  isNewUser: boolean;
}

export function createUserService({ clock, allowSignup }: { clock: Clock; allowSignup: boolean }) {
  /**
   * The user a verified email signs in as, created on first sign-in. `tx` is the
   * transaction that consumed the challenge: a refusal aborts it, login time included.
   * Throws `signup_disabled`, or `not_authenticated` for a disabled account.
   */
  async function signInVerifiedEmail(
    tx: Db,
    email: string,
    locale: string | undefined,
  ): Promise<SignedInUser> {
    const now = clock.now();
    const signedIn = allowSignup
      ? await upsertSignedInUser(tx, { id: randomId(), email, now, locale: locale ?? null })
      : await signInExistingUser(tx, email, now);
    if (signedIn.user.isDisabled) throw new AppError("not_authenticated");
    return signedIn;
  }

  async function signInExistingUser(tx: Db, email: string, now: number): Promise<SignedInUser> {
    const user = await findUserByEmail(tx, email);
    if (!user) throw new AppError("signup_disabled");
    await recordLogin(tx, user.id, now);
    return { user: { ...user, lastLoginAt: new Date(now) }, isNewUser: false };
  }

  /** Whether the email belongs to an account (enabled or not). */
  async function hasAccount(db: Db, email: string): Promise<boolean> {
    return (await findUserByEmail(db, email)) !== undefined;
  }

  /** Stores the account's language. Throws `unsupported_locale` for one we have no catalogues for. */
  async function setLocale(db: Db, userId: string, locale: string): Promise<void> {
    if (!SUPPORTED_LOCALES.includes(locale)) throw new AppError("unsupported_locale");
    await updateLocale(db, userId, locale);
  }

  return {
    signInVerifiedEmail,
    hasAccount,
    findUserById,
    setLocale,
    storedLocale: findLocaleById,
    storedLocaleByEmail: findLocaleByEmail,
  };
}

export type UserService = ReturnType<typeof createUserService>;
