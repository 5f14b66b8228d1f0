import { type FormEvent, useEffect, useRef, useState } from "react";
import { CodeInput } from "../components/code-input.js";
import { PageTitle } from "../components/layout.js";
import { ErrorMessage, StatusMessage } from "../components/messages.js";
import { formatCountdown } from "../lib/format.js";
import { describeError } from "../lib/messages.js";
import type { Passwordless } from "../lib/use-passwordless.js";

export const codeLength = 6;

function whatWasSent(type: Passwordless["passwordlessType"]): string {
  if (type === "OTP") return `a ${codeLength}-digit code`;
  if (type === "LINK") return "a sign-in link";
  return `a ${codeLength}-digit code and a sign-in link`;
}

function expiryTime(expiresAt: number | null): string | undefined {
  if (!expiresAt) return undefined;
  return new Intl.DateTimeFormat(undefined, { timeStyle: "short" }).format(new Date(expiresAt));
}

export function CodeStep({ flow }: { flow: Passwordless }) {
  const [code, setCode] = useState("");
  const [incomplete, setIncomplete] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const usesCode = flow.passwordlessType !== "LINK";
  const usesLink = flow.passwordlessType !== "OTP";
  const canEnterCode = usesCode && !flow.mustStartOver && !flow.codeEntryLocked;
  const verifying = flow.busy === "verify";
  const resendLocked = flow.resendSecondsLeft > 0 || flow.busy === "resend" || flow.mustStartOver;
  const expires = expiryTime(flow.expiresAt);

  useEffect(() => {
    input.current?.focus();
  }, []);

  // After a wrong code, clear the box so the next attempt starts clean.
  useEffect(() => {
    if (flow.error?.code !== "invalid_code") return;
    setCode("");
    input.current?.focus();
  }, [flow.error]);

  const verify = (value: string) => {
    setIncomplete(false);
    void flow.verifyCode(value);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.length === codeLength) verify(code);
    else {
      setIncomplete(true);
      input.current?.focus();
    }
  };

  const error = incomplete
    ? `Enter all ${codeLength} digits of the code.`
    : flow.error && describeError(flow.error);
  const status = flow.busy === "complete" ? "Approved on your other device. Signing you in…" : flow.notice;

  return (
    <>
      <PageTitle>Check your email</PageTitle>
      <p className="lead">
        We sent {whatWasSent(flow.passwordlessType)} to <strong className="address">{flow.email}</strong>.
        {expires && ` It works until ${expires}.`}
      </p>

      {usesCode && (
        <form className="form" noValidate onSubmit={submit}>
          <label className="label" htmlFor="code">
            {codeLength}-digit code
          </label>
          <CodeInput
            id="code"
            inputRef={input}
            value={code}
            onChange={setCode}
            onComplete={verify}
            length={codeLength}
            disabled={!canEnterCode}
            invalid={Boolean(error)}
            describedBy="code-error"
          />
          <ErrorMessage id="code-error">{error}</ErrorMessage>
          <StatusMessage>{status}</StatusMessage>
          {canEnterCode && (
            <button className="button button-primary" type="submit" aria-disabled={verifying || undefined}>
              {verifying ? "Checking…" : "Sign in"}
            </button>
          )}
        </form>
      )}
      {!usesCode && (
        <>
          <ErrorMessage id="code-error">{error}</ErrorMessage>
          <StatusMessage>{status}</StatusMessage>
        </>
      )}

      {flow.mustStartOver ? (
        <button className="button button-primary" type="button" onClick={flow.startOver}>
          Start again
        </button>
      ) : (
        usesLink && (
          <p className="hint">
            <span className="pulse" aria-hidden="true" />
            Or open the link in the email. If you open it on another device, you can approve this sign-in
            there and this page will continue by itself.
          </p>
        )
      )}

      <div className="row">
        <button
          className="button button-secondary"
          type="button"
          aria-disabled={resendLocked || undefined}
          onClick={() => !resendLocked && void flow.resendCode()}
        >
          {flow.busy === "resend"
            ? "Sending…"
            : flow.resendSecondsLeft > 0
              ? `Resend in ${formatCountdown(flow.resendSecondsLeft)}`
              : "Resend email"}
        </button>
        <button className="button button-link" type="button" onClick={flow.startOver}>
          Use a different email
        </button>
      </div>
    </>
  );
}
