import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { api } from "./api.js";
import { ApiError, isApiError } from "./api-error.js";
import type { PasswordlessType, SendOptions, SendResult, SignInResult } from "./api-types.js";

export type PasswordlessStep = "email" | "code" | "signed-in";
export type PasswordlessBusy = "send" | "resend" | "verify" | "complete" | null;

export interface PasswordlessState {
  step: PasswordlessStep;
  email: string;
  authRequestId: string | null;
  passwordlessType: PasswordlessType | null;
  /** When the emailed code and link stop working, epoch ms. */
  expiresAt: number | null;
  /** When the resend button unlocks, epoch ms. */
  resendAvailableAt: number;
  busy: PasswordlessBusy;
  error: ApiError | null;
  notice: string | null;
  /** The challenge is dead (expired, used, too many wrong codes): only starting over helps. */
  mustStartOver: boolean;
  /** Too many wrong codes for this address: the code is refused but the link still works. */
  codeEntryLocked: boolean;
  /** Null when the session was found rather than created (already signed in, link used in another tab). */
  result: SignInResult | null;
}

type Action =
  | { type: "busy"; busy: PasswordlessBusy }
  | { type: "sent"; email: string; sent: SendResult; resendAvailableAt: number; isResend: boolean }
  | { type: "failed"; error: ApiError; resendAvailableAt?: number | undefined }
  | { type: "signed-in"; result: SignInResult | null }
  | { type: "start-over" };

export const initialPasswordlessState: PasswordlessState = {
  step: "email",
  email: "",
  authRequestId: null,
  passwordlessType: null,
  expiresAt: null,
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
]);

function reducer(state: PasswordlessState, action: Action): PasswordlessState {
  // Once signed in, late answers (a poll, a second submit) change nothing.
  if (state.step === "signed-in" && action.type !== "start-over") return state;
  switch (action.type) {
    case "busy":
      return { ...state, busy: action.busy, error: action.busy ? null : state.error };
    case "sent":
      return {
        ...state,
        step: "code",
        email: action.email,
        authRequestId: action.sent.auth_request_id,
        passwordlessType: action.sent.passwordless_type,
        expiresAt: action.sent.expires_at * 1000,
        resendAvailableAt: action.resendAvailableAt,
        busy: null,
        error: null,
        notice: action.isResend ? `We sent a new email to ${action.email}.` : null,
        mustStartOver: false,
        codeEntryLocked: action.isResend && state.codeEntryLocked,
      };
    case "failed": {
      const { code } = action.error;
      return {
        ...state,
        busy: null,
        error: action.error,
        notice: null,
        mustStartOver: state.mustStartOver || (state.step === "code" && deadChallengeCodes.has(code)),
        codeEntryLocked: state.codeEntryLocked || code === "code_entry_locked",
        resendAvailableAt: action.resendAvailableAt ?? state.resendAvailableAt,
      };
    }
    case "signed-in":
      return { ...state, step: "signed-in", busy: null, error: null, notice: null, result: action.result };
    case "start-over":
      return { ...initialPasswordlessState, email: state.email };
  }
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
  const { pollIntervalMs = 2000, resendCooldownSeconds = 30 } = options;
  const [state, dispatch] = useReducer(reducer, initialPasswordlessState);
  const [, setTick] = useState(0);
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

  const sendCode = useCallback(
    (email: string) =>
      run("send", async () => {
        const address = email.trim();
        try {
          const sent = await api.send(address, sendOptions.current);
          dispatch({
            type: "sent",
            email: address,
            sent,
            resendAvailableAt: cooldownUntil(sent.resendAfterSeconds),
            isResend: false,
          });
        } catch (caught) {
          const error = asApiError(caught);
          if (error.code === "already_authenticated") dispatch({ type: "signed-in", result: null });
          else dispatch({ type: "failed", error });
        }
      }),
    [run, cooldownUntil],
  );

  const { authRequestId, email, step, mustStartOver, codeEntryLocked, resendAvailableAt, passwordlessType } =
    state;
  const hasLink = passwordlessType !== "OTP";

  const resendCode = useCallback(
    () =>
      run("resend", async () => {
        if (!authRequestId || Date.now() < resendAvailableAt) return dispatch({ type: "busy", busy: null });
        try {
          const sent = await api.resend(authRequestId);
          dispatch({
            type: "sent",
            email,
            sent,
            resendAvailableAt: cooldownUntil(sent.resendAfterSeconds),
            isResend: true,
          });
        } catch (caught) {
          const error = asApiError(caught);
          const waits = error.code === "rate_limited" && error.retryAfterSeconds !== undefined;
          dispatch({
            type: "failed",
            error,
            resendAvailableAt: waits ? cooldownUntil(error.retryAfterSeconds) : undefined,
          });
        }
      }),
    [run, cooldownUntil, authRequestId, email, resendAvailableAt],
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

  const startOver = useCallback(() => dispatch({ type: "start-over" }), []);

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

    const tick = async () => {
      let done = false;
      try {
        const { status } = await api.authRequestStatus(authRequestId);
        if (!active) return;
        if (status === "approved") done = await finish();
        else if (status === "expired") {
          dispatch({ type: "failed", error: failure("challenge_expired") });
          done = true;
        } else if (status === "consumed") {
          const current = await api.session();
          if (!active) return;
          if (current.email !== null) dispatch({ type: "signed-in", result: null });
          else dispatch({ type: "failed", error: failure("challenge_used") });
          done = true;
        }
      } catch (caught) {
        // Without this browser's binding cookie the server answers 404: nothing to wait for.
        done = asApiError(caught).status === 404;
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

  return { ...state, resendSecondsLeft, sendCode, resendCode, verifyCode, startOver };
}

export type Passwordless = ReturnType<typeof usePasswordless>;
