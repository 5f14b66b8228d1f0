import { useCallback, useEffect, useState } from "react";
import { Layout, PageTitle } from "../components/layout.js";
import { ErrorMessage, Loading } from "../components/messages.js";
import { api } from "../lib/api.js";
import { type ApiError, isApiError } from "../lib/api-error.js";
import type { SignedInSession } from "../lib/api-types.js";
import { formatDate } from "../lib/format.js";
import { describeError } from "../lib/messages.js";
import { navigate } from "../lib/router.js";
import { paths } from "../lib/routes.js";
import { findSignedInSession } from "../lib/signed-in-session.js";
import { useDocumentTitle } from "../lib/use-document-title.js";
import { SecurityEvents } from "./security-events.js";
import { SessionList } from "./session-list.js";

/** Sends the visitor to the sign-in page, saying why. */
export function leaveForSignIn(notice?: string): void {
  navigate(paths.signIn, { replace: true, ...(notice ? { notice } : {}) });
}

export function DashboardPage() {
  const [account, setAccount] = useState<SignedInSession | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<"logout" | "logout-all" | null>(null);
  const [actionError, setActionError] = useState<string | undefined>();
  useDocumentTitle("Your account");

  const load = useCallback(() => {
    setLoadError(null);
    findSignedInSession().then(
      (session) => (session ? setAccount(session) : leaveForSignIn()),
      (error: unknown) => setLoadError(isApiError(error) ? error : null),
    );
  }, []);

  useEffect(load, [load]);

  const onSessionEnded = useCallback((error: ApiError) => leaveForSignIn(describeError(error)), []);

  const signOut = async (everywhere: boolean) => {
    if (busy) return;
    setBusy(everywhere ? "logout-all" : "logout");
    setActionError(undefined);
    try {
      if (everywhere) await api.logoutAll();
      else await api.logout();
      leaveForSignIn(everywhere ? "You are signed out on every device." : "You are signed out.");
    } catch (error) {
      setBusy(null);
      if (isApiError(error) && error.status === 401) return onSessionEnded(error);
      setActionError(describeError(error));
    }
  };

  if (!account) {
    return (
      <Layout wide>
        <PageTitle>Your account</PageTitle>
        {loadError ? (
          <>
            <ErrorMessage>{describeError(loadError)}</ErrorMessage>
            <button className="button button-primary" type="button" onClick={load}>
              Try again
            </button>
          </>
        ) : (
          <Loading label="Loading your account…" />
        )}
      </Layout>
    );
  }

  return (
    <Layout wide>
      <div className="account">
        <div>
          <PageTitle>Your account</PageTitle>
          <p className="account-email">{account.email}</p>
          <p className="muted">Member since {formatDate(account.user_created_at)}</p>
        </div>
        <div className="row">
          <button
            className="button button-secondary"
            type="button"
            aria-disabled={busy !== null || undefined}
            onClick={() => void signOut(false)}
          >
            {busy === "logout" ? "Signing out…" : "Sign out"}
          </button>
          <button
            className="button button-danger"
            type="button"
            aria-disabled={busy !== null || undefined}
            onClick={() => void signOut(true)}
          >
            {busy === "logout-all" ? "Signing out…" : "Sign out everywhere"}
          </button>
        </div>
      </div>
      <ErrorMessage>{actionError}</ErrorMessage>
      <SessionList onSessionEnded={onSessionEnded} />
      <SecurityEvents />
    </Layout>
  );
}
