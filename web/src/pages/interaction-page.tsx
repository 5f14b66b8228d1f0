import { useCallback, useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Layout, PageTitle } from "../components/layout.js";
import { ErrorMessage, Loading } from "../components/messages.js";
import { api } from "../lib/api.js";
import { describeError } from "../lib/messages.js";
import { describeScope, type InteractionDetails, oidcApi } from "../lib/oidc-api.js";
import { findSignedInSession } from "../lib/signed-in-session.js";
import { useDocumentTitle } from "../lib/use-document-title.js";
import { type Passwordless, usePasswordless } from "../lib/use-passwordless.js";
import { CodeStep } from "./code-step.js";
import { EmailStep } from "./email-step.js";

type View =
  | { kind: "loading"; label: string }
  | { kind: "sign-in"; details: InteractionDetails }
  | { kind: "consent"; details: InteractionDetails }
  | { kind: "failed"; message: string };

/**
 * `/interaction/:uid`: an app sent the person here to sign in. Signed in already → straight
 * back to the app (single sign-on); otherwise Latchkey's own email sign-in; third-party apps
 * then ask for consent with "Allow" and "Deny".
 */
export function InteractionPage({ uid }: { uid: string }) {
  const { t } = useTranslation();
  const [view, setView] = useState<View>({ kind: "loading", label: t("interaction.loading") });
  const [busy, setBusy] = useState(false);
  const flow = usePasswordless();
  useDocumentTitle(view.kind === "consent" ? t("interaction.consentPageTitle") : t("signIn.title"));

  const fail = useCallback(
    (error: unknown) => setView({ kind: "failed", message: describeError(error) }),
    [],
  );

  const continueSignIn = useCallback(async () => {
    setView({ kind: "loading", label: t("interaction.returning") });
    try {
      window.location.assign((await oidcApi.continueSignIn(uid)).redirect_to);
    } catch (error) {
      fail(error);
    }
  }, [uid, fail, t]);

  useEffect(() => {
    let active = true;
    (async () => {
      const details = await oidcApi.details(uid);
      if (!active) return;
      if (details.prompt === "consent") return setView({ kind: "consent", details });
      const session = await findSignedInSession();
      if (!active) return;
      if (session && !details.fresh_sign_in_required) return continueSignIn();
      // The app wants a fresh sign-in: end the old session so a new one can start.
      if (session) await api.logout();
      if (active) setView({ kind: "sign-in", details });
    })().catch((error: unknown) => active && fail(error));
    return () => {
      active = false;
    };
  }, [uid, continueSignIn, fail]);

  useEffect(() => {
    if (view.kind === "sign-in" && flow.step === "signed-in") void continueSignIn();
  }, [view.kind, flow.step, continueSignIn]);

  const decide = async (decision: "allow" | "deny") => {
    if (busy) return;
    setBusy(true);
    try {
      window.location.assign((await oidcApi.decide(uid, decision)).redirect_to);
    } catch (error) {
      setBusy(false);
      fail(error);
    }
  };

  if (view.kind === "loading") {
    return (
      <Layout>
        <PageTitle>{t("signIn.title")}</PageTitle>
        <Loading label={view.label} />
      </Layout>
    );
  }
  if (view.kind === "failed") {
    return (
      <Layout>
        <PageTitle>{t("signIn.title")}</PageTitle>
        <ErrorMessage>{view.message}</ErrorMessage>
      </Layout>
    );
  }
  if (view.kind === "sign-in") {
    return (
      <Layout>
        <p className="muted small">
          <Trans
            i18nKey="interaction.continueTo"
            values={{ app: view.details.client.name }}
            components={{ app: <strong /> }}
          />
        </p>
        <SignInStep flow={flow} />
      </Layout>
    );
  }
  const { details } = view;
  return (
    <Layout>
      <PageTitle>{t("interaction.consentTitle", { app: details.client.name })}</PageTitle>
      <p className="lead">
        <Trans
          i18nKey="interaction.asks"
          values={{ app: details.client.name }}
          components={{ app: <strong /> }}
        />
      </p>
      <ul className="list list-compact">
        {details.scopes.map((scope) => (
          <li key={scope} className="list-item">
            {describeScope(scope)}
          </li>
        ))}
      </ul>
      <div className="row">
        {(["allow", "deny"] as const).map((decision) => (
          <button
            key={decision}
            className={`button ${decision === "allow" ? "button-primary" : "button-secondary"}`}
            type="button"
            aria-disabled={busy || undefined}
            onClick={() => void decide(decision)}
          >
            {decision === "allow" ? t("interaction.allow") : t("interaction.deny")}
          </button>
        ))}
      </div>
    </Layout>
  );
}

/** The email or code step; once signed in, "Returning to the app…" until the browser leaves. */
function SignInStep({ flow }: { flow: Passwordless }) {
  const { t } = useTranslation();
  if (flow.step === "signed-in") return <Loading label={t("interaction.returning")} />;
  return flow.step === "code" ? <CodeStep flow={flow} /> : <EmailStep flow={flow} />;
}
