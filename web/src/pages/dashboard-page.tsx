import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Layout, PageTitle } from "../components/layout.js";
import { ErrorMessage, Loading } from "../components/messages.js";
import { StepUpPrompt, useStepUp } from "../components/step-up.js";
import { api } from "../lib/api.js";
import { type ApiError, isApiError } from "../lib/api-error.js";
import type { SignedInSession } from "../lib/api-types.js";
import { formatDate } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import { describeError } from "../lib/messages.js";
import { describeSignInMethod } from "../lib/passkeys.js";
import { navigate } from "../lib/router.js";
import { paths } from "../lib/routes.js";
import { checkSession } from "../lib/signed-in-session.js";
import { useDocumentTitle } from "../lib/use-document-title.js";
import { ConnectedApps } from "./connected-apps.js";
import { PasskeyList } from "./passkey-list.js";
import { SecurityEvents } from "./security-events.js";
import { SessionList } from "./session-list.js";

/** Sends the visitor to the sign-in page, saying why. */
export function leaveForSignIn(notice?: string): void {
  navigate(paths.signIn, { replace: true, ...(notice ? { notice } : {}) });
}

export function DashboardPage() {
  useTranslation();
  const [confirming, setConfirming] = useState(false);
  const signOutEverywhere = useRef<HTMLButtonElement>(null);
  const confirmYes = useRef<HTMLButtonElement>(null);
  const [account, setAccount] = useState<SignedInSession | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<"logout" | "logout-all" | null>(null);
  const [actionError, setActionError] = useState<string | undefined>();
  const stepUp = useStepUp();
  useDocumentTitle(t("dashboard.title"));

  const load = useCallback(() => {
    setLoadError(null);
    checkSession().then(
      (check) =>
        check.session
          ? setAccount(check.session)
          : leaveForSignIn(check.endedElsewhere ? t("signIn.signedOutElsewhere") : undefined),
      (error: unknown) => setLoadError(isApiError(error) ? error : null),
    );
  }, []);

  useEffect(load, [load]);

  const onSessionEnded = useCallback((error: ApiError) => leaveForSignIn(describeError(error)), []);

  // The confirmation gets the focus when it opens, and gives it back when cancelled.
  useEffect(() => {
    if (confirming) confirmYes.current?.focus();
  }, [confirming]);

  const cancelConfirm = () => {
    setConfirming(false);
    signOutEverywhere.current?.focus();
  };

  const signOut = async (everywhere: boolean) => {
    if (busy) return;
    setConfirming(false);
    setBusy(everywhere ? "logout-all" : "logout");
    setActionError(undefined);
    try {
      const end = async () => {
        if (everywhere) await api.logoutAll();
        else await api.logout();
        leaveForSignIn(everywhere ? t("signIn.signedOutEverywhere") : t("signIn.signedOut"));
      };
      await stepUp.guard(end);
      setBusy(null);
    } catch (error) {
      setBusy(null);
      if (isApiError(error) && error.status === 401) return onSessionEnded(error);
      setActionError(describeError(error));
    }
  };

  if (!account) {
    return (
      <Layout wide>
        <PageTitle>{t("dashboard.title")}</PageTitle>
        {loadError ? (
          <>
            <ErrorMessage>{describeError(loadError)}</ErrorMessage>
            <button className="button button-primary" type="button" onClick={load}>
              {t("dashboard.tryAgain")}
            </button>
          </>
        ) : (
          <Loading label={t("dashboard.loading")} />
        )}
      </Layout>
    );
  }

  return (
    <Layout wide>
      <div className="account">
        <div>
          <PageTitle>{t("dashboard.title")}</PageTitle>
          <p className="account-email">{account.email}</p>
          <p className="muted">{t("dashboard.memberSince", { date: formatDate(account.user_created_at) })}</p>
          <p className="muted" data-amr={account.amr?.join(" ")}>
            {t("dashboard.signedInWith", { method: describeSignInMethod(account.amr) })}
          </p>
        </div>
        <div className="row">
          <button
            className="button button-secondary"
            type="button"
            aria-disabled={busy !== null || undefined}
            onClick={() => void signOut(false)}
          >
            {busy === "logout" ? t("dashboard.signingOut") : t("dashboard.signOut")}
          </button>
          <button
            ref={signOutEverywhere}
            className="button button-danger"
            type="button"
            aria-disabled={busy !== null || undefined}
            aria-expanded={confirming}
            onClick={() => busy === null && setConfirming(true)}
          >
            {busy === "logout-all" ? t("dashboard.signingOut") : t("dashboard.signOutEverywhere")}
          </button>
        </div>
      </div>
      {confirming && (
        <fieldset className="row confirm">
          <legend className="small">{t("dashboard.confirmEverywhere")}</legend>
          <button
            ref={confirmYes}
            className="button button-small button-danger"
            type="button"
            onClick={() => void signOut(true)}
          >
            {t("dashboard.confirmEverywhereYes")}
          </button>
          <button className="button button-small button-link" type="button" onClick={cancelConfirm}>
            {t("dashboard.cancel")}
          </button>
        </fieldset>
      )}
      <ErrorMessage>{actionError}</ErrorMessage>
      <StepUpPrompt stepUp={stepUp} />
      <PasskeyList onSessionEnded={onSessionEnded} />
      <SessionList onSessionEnded={onSessionEnded} />
      <ConnectedApps />
      <SecurityEvents />
    </Layout>
  );
}
