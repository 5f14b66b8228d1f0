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
  insertUserIfAbsent,
  recordLogin,
  type User,
  updateLocale,
} from "./store.js";

export interface SignedInUser {
  user: User;
  isNewUser: boolean;
}

export function createUserService({ clock, allowSignup }: { clock: Clock; allowSignup: boolean }) {
  /**
   * The user a verified email signs in as, created on first sign-in. `db` may be the
   * transaction that consumed the challenge. Throws `signup_disabled`, or
   * `not_authenticated` for a disabled account.
   */
  async function signInVerifiedEmail(
    db: Db,
    email: string,
    locale: string | undefined,
  ): Promise<SignedInUser> {
    const now = clock.now();
    let user = await findUserByEmail(db, email);
    let isNewUser = false;
    if (!user) {
      if (!allowSignup) throw new AppError("signup_disabled");
      isNewUser = await insertUserIfAbsent(db, { id: randomId(), email, now, locale });
      user = await findUserByEmail(db, email);
    }
    if (!user || user.isDisabled) throw new AppError("not_authenticated");
    await recordLogin(db, user.id, now);
    return { user: { ...user, lastLoginAt: new Date(now) }, isNewUser };
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
