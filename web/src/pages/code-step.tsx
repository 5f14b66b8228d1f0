import { type FormEvent, useEffect, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { CodeInput } from "../components/code-input.js";
import { PageTitle } from "../components/layout.js";
import { ErrorMessage, StatusMessage } from "../components/messages.js";
import { useAppConfig } from "../lib/app-config.js";
import { formatCountdown, formatTime } from "../lib/format.js";
import { findInbox } from "../lib/mail-provider.js";
import { describeError } from "../lib/messages.js";
import type { Passwordless } from "../lib/use-passwordless.js";

const sentKeys = { OTP: "code.sentCode", LINK: "code.sentLink", LINK_OTP: "code.sentBoth" } as const;

/** The line under the code box: a notice, "approved elsewhere", or nothing. */
function useStatus(flow: Passwordless): string | null {
  const { t } = useTranslation();
  const countdown = formatCountdown(flow.resendSecondsLeft);
  if (flow.busy === "complete") return t("code.approvedElsewhere");
  if (flow.notice === "resent") return t("code.resentTo", { email: flow.email });
  if (flow.notice === "just-sent" && flow.resendSecondsLeft > 0) {
    return t(flow.passwordlessType === "LINK" ? "code.justSentLink" : "code.justSent", { countdown });
  }
  return null;
}

export function CodeStep({ flow }: { flow: Passwordless }) {
  const { t } = useTranslation();
  const { code_length: codeLength, passwordless_type } = useAppConfig();
  const [code, setCode] = useState("");
  const [incomplete, setIncomplete] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const startAgain = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLDivElement>(null);
  const type = flow.passwordlessType ?? passwordless_type;
  const usesCode = type !== "LINK";
  const usesLink = type !== "OTP";
  const canEnterCode = usesCode && !flow.mustStartOver && !flow.codeEntryLocked;
  const verifying = flow.busy === "verify";
  const resendLocked = flow.resendSecondsLeft > 0 || flow.busy === "resend" || flow.mustStartOver;
  const expires = formatTime(flow.expiresAt);
  const inbox = findInbox(flow.email);
  const status = useStatus(flow);

  useEffect(() => {
    input.current?.focus();
  }, []);

  // After a wrong code, clear the box so the next attempt starts clean; after the last one,
  // the box is gone: focus what still helps ("Start again", else the message about the link).
  useEffect(() => {
    if (!flow.error) return;
    if (flow.error.code === "invalid_code") {
      setCode("");
      input.current?.focus();
    } else if (flow.mustStartOver) startAgain.current?.focus();
    else if (flow.codeEntryLocked) heading.current?.focus();
  }, [flow.error, flow.mustStartOver, flow.codeEntryLocked]);

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

  const lockedMessage = flow.codeEntryLocked && usesLink ? t("code.lockedWithLink") : null;
  const error = incomplete
    ? t("code.incomplete", { length: codeLength })
    : (lockedMessage ?? (flow.error && describeError(flow.error)));

  return (
    <>
      <PageTitle>{t("code.title")}</PageTitle>
      <p className="lead">
        <Trans
          i18nKey={sentKeys[type]}
          values={{ length: codeLength, email: flow.email }}
          components={{ address: <strong className="address" /> }}
        />
        {expires && ` ${t("code.worksUntil", { time: expires })}`}
      </p>
      {inbox && (
        <p>
          <a
            className="button button-secondary button-small"
            href={inbox.href}
            target="_blank"
            rel="noopener noreferrer"
          >
            {t(`code.${inbox.key}`)}
          </a>
        </p>
      )}

      {usesCode && (
        <form className="form" noValidate onSubmit={submit}>
          <label className="label" htmlFor="code">
            {t("code.label", { length: codeLength })}
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
          <div ref={heading} tabIndex={-1}>
            <ErrorMessage id="code-error">{error}</ErrorMessage>
          </div>
          <StatusMessage>{status}</StatusMessage>
          {canEnterCode && (
            <button className="button button-primary" type="submit" aria-disabled={verifying || undefined}>
              {verifying ? t("code.checking") : t("code.submit")}
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
        <button ref={startAgain} className="button button-primary" type="button" onClick={flow.startOver}>
          {t("code.startAgain")}
        </button>
      ) : (
        usesLink && (
          <>
            <p className="hint">
              <span className="pulse" aria-hidden="true" />
              {t(usesCode ? "code.linkHint" : "code.linkOnlyHint")}
            </p>
            {flow.approvalNumber !== null && (
              <p className="approval-number">
                <Trans
                  i18nKey="code.approvalNumber"
                  values={{ number: flow.approvalNumber }}
                  components={{ number: <strong /> }}
                />
              </p>
            )}
          </>
        )
      )}
      <p className="hint">{t("code.spamHint")}</p>

      <div className="row">
        <button
          className="button button-secondary"
          type="button"
          aria-disabled={resendLocked || undefined}
          onClick={() => !resendLocked && void flow.resendCode()}
        >
          {flow.busy === "resend"
            ? t("email.sending")
            : flow.resendSecondsLeft > 0
              ? t("code.resendIn", { countdown: formatCountdown(flow.resendSecondsLeft) })
              : t("code.resend")}
        </button>
        <button className="button button-link" type="button" onClick={flow.startOver}>
          {t("code.differentEmail")}
        </button>
      </div>
    </>
  );
}
