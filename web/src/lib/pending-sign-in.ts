import type { PasswordlessType } from "./api-types.js";

/**
 * The sign-in waiting for its code, kept in sessionStorage (this tab only, gone when it
 * closes) so a reload, Back/Forward or a tab the phone discarded comes back to the code
 * step. Never the code itself: only what the server already told this tab.
 */
export interface PendingSignIn {
  authRequestId: string;
  email: string;
  passwordlessType: PasswordlessType;
  /** Epoch ms: when the emailed code and link stop working. */
  expiresAt: number;
  /** Epoch ms: when the email was sent. */
  sentAt: number;
  /** Epoch ms: when the server accepts a resend. */
  resendAvailableAt: number;
}

const KEY = "latchkey.pending-sign-in";

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function isPending(value: unknown): value is PendingSignIn {
  if (!value || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.authRequestId === "string" &&
    typeof record.email === "string" &&
    typeof record.passwordlessType === "string" &&
    ["expiresAt", "sentAt", "resendAvailableAt"].every((key) => typeof record[key] === "number")
  );
}

/** The pending sign-in of this tab, unless it has expired. */
export function readPendingSignIn(now = Date.now()): PendingSignIn | undefined {
  try {
    const value: unknown = JSON.parse(storage()?.getItem(KEY) ?? "null");
    return isPending(value) && value.expiresAt > now ? value : undefined;
  } catch {
    return undefined;
  }
}

export function savePendingSignIn(pending: PendingSignIn): void {
  storage()?.setItem(KEY, JSON.stringify(pending));
}

export function forgetPendingSignIn(): void {
  storage()?.removeItem(KEY);
}

/** The history entry of the code step carries this mark, so Back and Forward move between the steps. */
const STEP_MARK = "latchkeySignInStep";

export function isCodeStepEntry(state: unknown = window.history.state): boolean {
  return Boolean(
    state && typeof state === "object" && (state as Record<string, unknown>)[STEP_MARK] === "code",
  );
}

/** A new history entry for the code step, at the same address. */
export function pushCodeStepEntry(): void {
  if (!isCodeStepEntry()) window.history.pushState({ [STEP_MARK]: "code" }, "", window.location.href);
}

/** Leaves the code step without a new entry ("Use a different email"). */
export function replaceWithEmailStepEntry(): void {
  if (isCodeStepEntry()) window.history.replaceState(null, "", window.location.href);
}
