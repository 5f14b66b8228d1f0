import { useEffect, useState } from "react";
import { Layout, PageTitle } from "../components/layout.js";
import { Loading } from "../components/messages.js";
import { readNotice } from "../lib/router.js";
import { goTo } from "../lib/routes.js";
import { safeNextPath } from "../lib/safe-next.js";
import { findSignedInSession } from "../lib/signed-in-session.js";
import { useDocumentTitle } from "../lib/use-document-title.js";
import { usePasswordless } from "../lib/use-passwordless.js";
import { CodeStep } from "./code-step.js";
import { EmailStep } from "./email-step.js";

export function SignInPage() {
  const [checking, setChecking] = useState(true);
  const [next] = useState(() => safeNextPath(new URLSearchParams(window.location.search).get("next")));
  const [notice] = useState(readNotice);
  const flow = usePasswordless();
  useDocumentTitle(flow.step === "code" ? "Check your email" : "Sign in");

  // A visitor who is already signed in goes straight on.
  useEffect(() => {
    let active = true;
    findSignedInSession()
      .then((session) => {
        if (!active) return;
        if (session) goTo(next);
        else setChecking(false);
      })
      .catch(() => active && setChecking(false));
    return () => {
      active = false;
    };
  }, [next]);

  useEffect(() => {
    if (flow.step === "signed-in") goTo(next);
  }, [flow.step, next]);

  if (checking || flow.step === "signed-in") {
    return (
      <Layout>
        <PageTitle>Sign in</PageTitle>
        <Loading label={checking ? "Checking whether you are signed in…" : "Signing you in…"} />
      </Layout>
    );
  }
  return (
    <Layout>
      {flow.step === "code" ? <CodeStep flow={flow} /> : <EmailStep flow={flow} notice={notice} />}
    </Layout>
  );
}
