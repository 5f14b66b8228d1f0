import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { api } from "./api.js";
import { ApiError, isApiError } from "./api-error.js";
import type { PasswordlessType, SendOptions, SendResult, SignInResult } from "./api-types.js";
import { useAppConfig } from "./app-config.js";
import {
  forgetPendingSignIn,
  isCodeStepEntry,
  type PendingSignIn,
  pushCodeStepEntry,
  readPendingSignIn,
  replaceWithEmailStepEntry,
  savePendingSignIn,
} from "./pending-sign-in.js";

export type PasswordlessStep = "email" | "code" | "signed-in";
export type PasswordlessBusy = "send" | "resend" | "verify" | "complete" | null;
/** "We sent a new email" after a resend; "We just sent a code, resend in 0:28" when a send came too soon. */
export type PasswordlessNotice = "resent" | "just-sent";

export interface PasswordlessState {
  step: PasswordlessStep;
  email: string;
  authRequestId: string | null;
  passwordlessType: PasswordlessType | null;
  /** When the emailed code and link stop working, epoch ms. */
  expiresAt: number | null;
  /** When the last email was sent, epoch ms. */
  sentAt: number | null;
  /** When the resend button unlocks, epoch ms. */
  resendAvailableAt: number;
  busy: PasswordlessBusy;
  error: ApiError | null;
  notice: PasswordlessNotice | null;
  /** The challenge is dead (expired, used, refused): only starting over helps. */
  mustStartOver: boolean;
  /** Too many wrong codes: the code is refused, but the emailed link (if any) still works. */
  codeEntryLocked: boolean;
  /** Null when the session was found rather than created (already signed in, link used in another tab). */
  result: SignInResult | null;
}

type Action =
  | { type: "busy"; busy: PasswordlessBusy }
  | { type: "sent"; pending: PendingSignIn; isResend: boolean }
  | { type: "restore"; pending: PendingSignIn; notice: PasswordlessNotice | null }
  | { type: "show-email" }
  | { type: "failed"; error: ApiError; resendAvailableAt?: number | undefined }
  | { type: "signed-in"; result: SignInResult | null }
  | { type: "start-over" };

export const initialPasswordlessState: PasswordlessState = {
  step: "email",
  email: "",
  authRequestId: null,
  passwordlessType: null,
  expiresAt: null,
  sentAt: null,
  resendAvailableAt: 0,
  busy: null,
  error: null,
  notice: null,
  mustStartOver: false,
  codeEntryLocked: false,
  result: null,
};

const deadChallengeCodes = new Set([
  "too_many_attempts",
  "challenge_expired",
  "challenge_used",
  "challenge_not_found",
  "approval_refused",
]);

function showPending(state: PasswordlessState, pending: PendingSignIn): PasswordlessState {
  return {
    ...state,
    step: "code",
    email: pending.email,
    authRequestId: pending.authRequestId,
    passwordlessType: pending.passwordlessType,
    expiresAt: pending.expiresAt,
    sentAt: pending.sentAt,
    resendAvailableAt: pending.resendAvailableAt,
    busy: null,
    error: null,
  };
}

/** Too many wrong codes kills the code; the link of a code-and-link email still works. */
function locksOnlyTheCode(state: PasswordlessState, code: string): boolean {
  return (
    code === "code_entry_locked" || (code === "too_many_attempts" && state.passwordlessType === "LINK_OTP")
  );
}

function reducer(state: PasswordlessState, action: Action): PasswordlessState {
  // Once signed in, late answers (a poll, a second submit) change nothing.
  if (state.step === "signed-in" && action.type !== "start-over") return state;
  switch (action.type) {
    case "busy":
      return { ...state, busy: action.busy, error: action.busy ? null : state.error };
    case "sent":
      return {
        ...showPending(state, action.pending),
        notice: action.isResend ? "resent" : null,
        mustStartOver: false,
        codeEntryLocked: action.isResend && state.codeEntryLocked,
      };
    case "restore":
      return { ...showPending(state, action.pending), notice: action.notice };
    case "show-email":
      return { ...state, step: "email", busy: null, error: null, notice: null };
    case "failed": {
      const { code } = action.error;
      const codeOnly = state.step === "code" && locksOnlyTheCode(state, code);
      return {
        ...state,
        busy: null,
        error: action.error,
        notice: null,
        mustStartOver:
          state.mustStartOver || (state.step === "code" && !codeOnly && deadChallengeCodes.has(code)),
        codeEntryLocked: state.codeEntryLocked || codeOnly,
        resendAvailableAt: action.resendAvailableAt ?? state.resendAvailableAt,
      };
    }
    case "signed-in":
      return { ...state, step: "signed-in", busy: null, error: null, notice: null, result: action.result };
    case "start-over":
      return { ...initialPasswordlessState, email: state.email };
  }
}

/** The code step again after a reload or Forward, when this tab has a sign-in waiting. */
function restoredState(): PasswordlessState {
  const pending = isCodeStepEntry() ? readPendingSignIn() : undefined;
  return pending ? showPending(initialPasswordlessState, pending) : initialPasswordlessState;
}

function asApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;
  return new ApiError({ status: 0, code: "unexpected_response", detail: String(error) });
}

function failure(code: string): ApiError {
  return new ApiError({ status: 400, code, detail: "" });
}

export interface UsePasswordlessOptions {
  /** How often the code screen asks whether the link was approved on another device. */
  pollIntervalMs?: number;
  /** Resend cooldown after a send when the server names none. */
  resendCooldownSeconds?: number;
  sendOptions?: SendOptions;
}

/**
 * The sign-in flow: email → code entry (resend with cooldown; waits for a cross-device
 * approval in the background) → signed in. All server calls go through `api`.
 */
export function usePasswordless(options: UsePasswordlessOptions = {}) {
  const config = useAppConfig();
  const { pollIntervalMs = 2000, resendCooldownSeconds = config.resend_cooldown_seconds } = options;
  const [state, dispatch] = useReducer(reducer, undefined, restoredState);
  const [, setTick] = useState(0);
  /** The number this browser shows for cross-device approval (number matching), once the server named it. */
  const [approvalNumber, setApprovalNumber] = useState<number | null>(null);
  const inFlight = useRef(false);
  const sendOptions = useRef(options.sendOptions);
  sendOptions.current = options.sendOptions;

  /** Runs one server action at a time, so auto-submit and Enter cannot double-post. */
  const run = useCallback(async (busy: PasswordlessBusy, task: () => Promise<void>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    dispatch({ type: "busy", busy });
    try {
      await task();
    } finally {
      inFlight.current = false;
    }
  }, []);

  const cooldownUntil = useCallback(
    (waitSeconds?: number) => Date.now() + (waitSeconds ?? resendCooldownSeconds) * 1000,
    [resendCooldownSeconds],
  );

  /** Remembers what the server answered (never the code) and shows the code step. */
  const remember = useCallback(
    (email: string, sent: SendResult, isResend: boolean) => {
      const pending: PendingSignIn = {
        authRequestId: sent.auth_request_id,
        email,
        passwordlessType: sent.passwordless_type,
        expiresAt: sent.expires_at * 1000,
        sentAt: Date.now(),
        resendAvailableAt: cooldownUntil(sent.resendAfterSeconds),
      };
      savePendingSignIn(pending);
      if (!isResend) pushCodeStepEntry();
      dispatch({ type: "sent", pending, isResend });
    },
    [cooldownUntil],
  );

  /** This tab's waiting sign-in for `email`, shown again with "we just sent a code" instead of an error. */
  const showJustSent = useCallback((email: string, retryAfterSeconds?: number) => {
    const pending = readPendingSignIn();
    if (!pending || pending.email.toLowerCase() !== email.toLowerCase()) return false;
    if (retryAfterSeconds !== undefined) {
      pending.resendAvailableAt = Math.max(pending.resendAvailableAt, Date.now() + retryAfterSeconds * 1000);
      savePendingSignIn(pending);
    }
    pushCodeStepEntry();
    dispatch({ type: "restore", pending, notice: "just-sent" });
    return true;
  }, []);

  const sendCode = useCallback(
    (email: string) =>
      run("send", async () => {
        const address = email.trim();
        const pending = readPendingSignIn();
        if (pending && Date.now() < pending.resendAvailableAt && showJustSent(address)) return;
        try {
          remember(address, await api.send(address, sendOptions.current), false);
        } catch (caught) {
          const error = asApiError(caught);
          if (error.code === "already_authenticated") return dispatch({ type: "signed-in", result: null });
          if (error.code === "rate_limited" && showJustSent(address, error.retryAfterSeconds)) return;
          dispatch({ type: "failed", error });
        }
      }),
    [run, remember, showJustSent],
  );

  const { authRequestId, email, step, mustStartOver, codeEntryLocked, resendAvailableAt, passwordlessType } =
    state;
  const hasLink = passwordlessType !== "OTP";

  const resendCode = useCallback(
    () =>
      run("resend", async () => {
        if (!authRequestId || Date.now() < resendAvailableAt) return dispatch({ type: "busy", busy: null });
        try {
          remember(email, await api.resend(authRequestId), true);
        } catch (caught) {
          const error = asApiError(caught);
          if (error.code === "rate_limited" && showJustSent(email, error.retryAfterSeconds)) return;
          dispatch({ type: "failed", error });
        }
      }),
    [run, remember, showJustSent, authRequestId, email, resendAvailableAt],
  );

  const verifyCode = useCallback(
    (code: string) =>
      run("verify", async () => {
        if (!authRequestId || mustStartOver || codeEntryLocked) return dispatch({ type: "busy", busy: null });
        try {
          dispatch({ type: "signed-in", result: await api.verifyOtp(authRequestId, code) });
        } catch (caught) {
          dispatch({ type: "failed", error: asApiError(caught) });
        }
      }),
    [run, authRequestId, mustStartOver, codeEntryLocked],
  );

  const startOver = useCallback(() => {
    forgetPendingSignIn();
    replaceWithEmailStepEntry();
    dispatch({ type: "start-over" });
  }, []);

  // A finished or dead sign-in is not restored on reload.
  useEffect(() => {
    if (step === "signed-in" || mustStartOver) forgetPendingSignIn();
  }, [step, mustStartOver]);

  // Back from the code step shows the email step; Forward (or a reload there) the code step again.
  useEffect(() => {
    const onPopState = () => {
      const pending = isCodeStepEntry() ? readPendingSignIn() : undefined;
      dispatch(pending ? { type: "restore", pending, notice: null } : { type: "show-email" });
    };
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, []);

  // Re-render once a second while the resend button is cooling down.
  useEffect(() => {
    if (resendAvailableAt <= Date.now()) return;
    const timer = setInterval(() => {
      setTick((tick) => tick + 1);
      if (Date.now() >= resendAvailableAt) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [resendAvailableAt]);

  // Cross-device approval: while the code screen is open, ask whether the link was
  // approved elsewhere (or used in another tab of this browser) and finish the sign-in.
  useEffect(() => {
    if (step !== "code" || !authRequestId || mustStartOver || !hasLink) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const finish = async () => {
      dispatch({ type: "busy", busy: "complete" });
      try {
        const result = await api.completeApproval(authRequestId);
        if (active) dispatch({ type: "signed-in", result });
        return true;
      } catch (caught) {
        const error = asApiError(caught);
        if (!active) return true;
        if (error.code === "approval_pending" || error.status === 0) {
          dispatch({ type: "busy", busy: null });
          return false;
        }
        dispatch({ type: "failed", error });
        return true;
      }
    };

    /** Signed in from another tab of this browser? Then follow; else report `otherwise` (if any). */
    const followSignInElsewhere = async (otherwise: ApiError | null) => {
      const current = await api.session().catch(() => ({ email: null }));
      if (!active) return true;
      if (current.email !== null) dispatch({ type: "signed-in", result: null });
      else if (otherwise) dispatch({ type: "failed", error: otherwise });
      return true;
    };

    const tick = async () => {
      let done = false;
      try {
        const { status, approval_number: shown } = await api.authRequestStatus(authRequestId);
        if (!active) return;
        setApprovalNumber(shown ?? null);
        if (status === "approved") done = await finish();
        else if (status === "refused") {
          dispatch({ type: "failed", error: failure("approval_refused") });
          done = true;
        } else if (status === "expired") {
          dispatch({ type: "failed", error: failure("challenge_expired") });
          done = true;
        } else if (status === "consumed") {
          done = await followSignInElsewhere(failure("challenge_used"));
        }
      } catch (caught) {
        // 404: this browser's binding value is gone. Signing in (in another tab) rotates it,
        // so look for a session; without one there is nothing to wait for.
        done = asApiError(caught).status === 404 && (await followSignInElsewhere(null));
      }
      if (active && !done) timer = setTimeout(tick, pollIntervalMs);
    };

    timer = setTimeout(tick, pollIntervalMs);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [step, authRequestId, mustStartOver, hasLink, pollIntervalMs]);

  const resendSecondsLeft = Math.max(0, Math.ceil((resendAvailableAt - Date.now()) / 1000));

  return { ...state, approvalNumber, resendSecondsLeft, sendCode, resendCode, verifyCode, startOver };
}

export type Passwordless = ReturnType<typeof usePasswordless>;
