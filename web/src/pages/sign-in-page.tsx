import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Layout, PageTitle, SupportLine } from "../components/layout.js";
import { Loading } from "../components/messages.js";
import { readNotice } from "../lib/router.js";
import { goTo } from "../lib/routes.js";
import { safeNextPath } from "../lib/safe-next.js";
import { checkSession } from "../lib/signed-in-session.js";
import { useDocumentTitle } from "../lib/use-document-title.js";
import { usePasswordless } from "../lib/use-passwordless.js";
import { CodeStep } from "./code-step.js";
import { EmailStep } from "./email-step.js";

export function SignInPage() {
  const { t } = useTranslation();
  const [checking, setChecking] = useState(true);
  const [next] = useState(() => safeNextPath(new URLSearchParams(window.location.search).get("next")));
  const [notice, setNotice] = useState(readNotice);
  const flow = usePasswordless();
  useDocumentTitle(flow.step === "code" ? t("code.title") : t("signIn.title"));

  // A visitor who is already signed in goes straight on; one whose session was ended
  // from another device is told so.
  useEffect(() => {
    let active = true;
    checkSession()
      .then((check) => {
        if (!active) return;
        if (check.session) return goTo(next);
        if (check.endedElsewhere) setNotice((current) => current ?? t("signIn.signedOutElsewhere"));
        setChecking(false);
      })
      .catch(() => active && setChecking(false));
    return () => {
      active = false;
    };
  }, [next, t]);

  useEffect(() => {
    if (flow.step === "signed-in") goTo(next);
  }, [flow.step, next]);

  if (checking || flow.step === "signed-in") {
    return (
      <Layout>
        <PageTitle>{t("signIn.title")}</PageTitle>
        <Loading label={checking ? t("signIn.checking") : t("signIn.signingIn")} />
      </Layout>
    );
  }
  return (
    <Layout>
      {flow.step === "code" ? (
        <CodeStep flow={flow} />
      ) : (
        <EmailStep flow={flow} notice={notice} onPasskeySignIn={() => goTo(next)} />
      )}
      <SupportLine />
    </Layout>
  );
}
