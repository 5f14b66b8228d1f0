import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { PageTitle } from "../components/layout.js";
import { ErrorMessage, StatusMessage } from "../components/messages.js";
import { useAppConfig } from "../lib/app-config.js";
import { findEmailProblem, invalidEmailMessage } from "../lib/email-address.js";
import { describeError } from "../lib/messages.js";
import { readRememberedEmail, rememberEmail } from "../lib/remembered-email.js";
import { usePasskeySignIn } from "../lib/use-passkey-sign-in.js";
import type { Passwordless } from "../lib/use-passwordless.js";

const leadKeys = { OTP: "email.leadCode", LINK: "email.leadLink", LINK_OTP: "email.leadBoth" } as const;

export function EmailStep({
  flow,
  notice,
  onPasskeySignIn = () => {},
}: {
  flow: Passwordless;
  notice?: string | undefined;
  onPasskeySignIn?: () => void;
}) {
  const { t } = useTranslation();
  const { passwordless_type } = useAppConfig();
  const passkey = usePasskeySignIn(onPasskeySignIn);
  const [remembered] = useState(readRememberedEmail);
  const [email, setEmail] = useState(flow.email || remembered);
  const [remember, setRemember] = useState(true);
  const [problem, setProblem] = useState<string | undefined>();
  const input = useRef<HTMLInputElement>(null);
  const sending = flow.busy === "send";

  useEffect(() => {
    input.current?.focus();
  }, []);

  // After a refused send, the address is what to look at again.
  useEffect(() => {
    if (flow.error) input.current?.focus();
  }, [flow.error]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = findEmailProblem(email);
    setProblem(found);
    if (found) return input.current?.focus();
    rememberEmail(email.trim(), remember);
    void flow.sendCode(email);
  };

  const serverProblem =
    flow.error?.code === "validation_error" ? invalidEmailMessage() : describeError(flow.error);
  const message = problem ?? (flow.error ? serverProblem : passkey.error);

  return (
    <>
      <PageTitle>{t("signIn.title")}</PageTitle>
      <p className="lead">{t(leadKeys[passwordless_type])}</p>
      <StatusMessage>{notice}</StatusMessage>
      <form className="form" noValidate onSubmit={submit}>
        <label className="label" htmlFor="email">
          {t("email.label")}
        </label>
        <input
          ref={input}
          id="email"
          name="email"
          className="input"
          type="email"
          autoComplete="username webauthn"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          placeholder={t("email.placeholder")}
          required
          value={email}
          aria-invalid={message ? true : undefined}
          aria-describedby="email-error"
          onChange={(event) => setEmail(event.target.value)}
        />
        <ErrorMessage id="email-error">{message}</ErrorMessage>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={remember}
            aria-describedby="remember-hint"
            onChange={(event) => setRemember(event.target.checked)}
          />
          <span>{t("email.remember")}</span>
        </label>
        <p id="remember-hint" className="hint hint-tight">
          {t("email.rememberHint")}
        </p>
        <button className="button button-primary" type="submit" aria-disabled={sending || undefined}>
          {sending
            ? t("email.sending")
            : t(passwordless_type === "LINK" ? "email.sendLink" : "email.sendCode")}
        </button>
      </form>
      {passkey.isSupported && (
        <button
          className="button button-secondary"
          type="button"
          aria-disabled={passkey.busy || undefined}
          onClick={() => void passkey.signIn()}
        >
          {t("email.passkey")}
        </button>
      )}
    </>
  );
}
