import { useCallback, useEffect, useRef, useState } from "react";
import { Layout, PageTitle } from "../components/layout.js";
import { ErrorMessage, StatusMessage } from "../components/messages.js";
import { api } from "../lib/api.js";
import { ApiError, isApiError } from "../lib/api-error.js";
import { describeError } from "../lib/messages.js";
import { navigate } from "../lib/router.js";
import { paths } from "../lib/routes.js";
import { useDocumentTitle } from "../lib/use-document-title.js";

type View =
  | { kind: "missing" }
  | { kind: "ready"; busy: boolean }
  | { kind: "confirm"; email: string | null; busy: "sign-in" | "approve" | null; error: ApiError | null }
  | { kind: "approved"; email: string | null }
  | { kind: "failed"; error: ApiError };

/** Answers after which this link can never work: a title and what happened. */
const deadLinks: Record<string, { title: string; message: string }> = {
  invalid_link_token: {
    title: "This link does not work",
    message: "This sign-in link is not valid. It may have been cut off when it was copied.",
  },
  challenge_not_found: {
    title: "This link does not work",
    message: "This sign-in link is not valid. It may have been cut off when it was copied.",
  },
  challenge_expired: {
    title: "This link has expired",
    message: "Sign-in links work for a few minutes only, and this one has run out.",
  },
  challenge_used: {
    title: "This link was already used",
    message: "Each sign-in link works once, and this one has been used already.",
  },
};

function readAuthRequestId(): string | undefined {
  return new URLSearchParams(window.location.search).get("auth_request_id") ?? undefined;
}

function signedIn(): void {
  navigate(paths.dashboard, { replace: true });
}

function asApiError(error: unknown): ApiError {
  return isApiError(error) ? error : new ApiError({ status: 0, code: "unexpected_response", detail: "" });
}

/**
 * Landing page of the emailed link. The token was already taken out of the address bar
 * (see link-token.ts). Opening the page changes nothing: it never POSTs on load or on a
 * timer, so a mail scanner that fetches the link, or even runs its scripts, signs nobody
 * in (SECURITY.md 9). The first POST waits for a click on "Sign in". In the browser that
 * asked for the link (binding cookie) that click signs in; elsewhere the server answers
 * `confirmation_required`, consuming nothing, and the page offers the two choices.
 */
export function VerifyMagicLinkPage({ linkToken }: { linkToken: string | null }) {
  const [view, setView] = useState<View>(linkToken ? { kind: "ready", busy: false } : { kind: "missing" });
  const signInButton = useRef<HTMLButtonElement>(null);
  useDocumentTitle("Sign-in link");
  // Links from the Scalekit provider also name their sign-in; it is not a secret, so it stays in the URL.
  const [authRequestId] = useState(() => readAuthRequestId());

  // Focus, not a click: Enter or Space is still the user's own gesture.
  useEffect(() => {
    signInButton.current?.focus();
  }, []);

  // When the page changes what it shows, start keyboard and screen reader users at its heading.
  const shown = useRef(view.kind);
  useEffect(() => {
    if (shown.current === view.kind) return;
    shown.current = view.kind;
    document.querySelector<HTMLElement>("h1")?.focus();
  }, [view.kind]);

  const signIn = useCallback(() => {
    if (!linkToken) return;
    setView({ kind: "ready", busy: true });
    api.verifyMagicLink(linkToken, { authRequestId }).then(signedIn, (caught) => {
      const error = asApiError(caught);
      if (error.code === "already_authenticated") return signedIn();
      if (error.code !== "confirmation_required") return setView({ kind: "failed", error });
      const email = typeof error.extra.email === "string" ? error.extra.email : null;
      setView({ kind: "confirm", email, busy: null, error: null });
    });
  }, [linkToken, authRequestId]);

  const choose = (choice: "sign-in" | "approve", email: string | null) => {
    if (!linkToken) return;
    setView({ kind: "confirm", email, busy: choice, error: null });
    const done =
      choice === "sign-in"
        ? api.verifyMagicLink(linkToken, { confirm: true, authRequestId }).then(signedIn)
        : api
            .approveMagicLink(linkToken, { authRequestId })
            .then((result) => setView({ kind: "approved", email: result.email }));
    done.catch((caught) => {
      const error = asApiError(caught);
      if (Object.hasOwn(deadLinks, error.code)) setView({ kind: "failed", error });
      else setView({ kind: "confirm", email, busy: null, error });
    });
  };

  return (
    <Layout>
      {view.kind === "missing" && (
        <>
          <PageTitle>Open the link from your email</PageTitle>
          <p className="lead">
            This page needs the sign-in link from your email. If you already used it, or reloaded this page,
            sign in again.
          </p>
          <button className="button button-primary" type="button" onClick={() => navigate(paths.signIn)}>
            Back to sign in
          </button>
        </>
      )}
      {view.kind === "ready" && (
        <>
          <PageTitle>Sign in to your account</PageTitle>
          <p className="lead">You opened a sign-in link from your email. Select Sign in to continue.</p>
          <button
            ref={signInButton}
            className="button button-primary"
            type="button"
            aria-disabled={view.busy || undefined}
            onClick={() => !view.busy && signIn()}
          >
            {view.busy ? "Signing in…" : "Sign in"}
          </button>
          <p className="hint">Did not ask to sign in? Close this page. Nothing happens until you click.</p>
        </>
      )}
      {view.kind === "confirm" && (
        <>
          <PageTitle>Finish signing in</PageTitle>
          <p className="lead">
            This link is for <strong className="address">{view.email ?? "your account"}</strong>. It was
            opened in a different browser from the one where you asked to sign in.
          </p>
          <div className="stack">
            <button
              className="button button-primary"
              type="button"
              aria-disabled={view.busy !== null || undefined}
              onClick={() => view.busy === null && choose("sign-in", view.email)}
            >
              {view.busy === "sign-in" ? "Signing in…" : "Sign in on this device"}
            </button>
            <button
              className="button button-secondary"
              type="button"
              aria-disabled={view.busy !== null || undefined}
              onClick={() => view.busy === null && choose("approve", view.email)}
            >
              {view.busy === "approve" ? "Approving…" : "Approve sign-in on my other device"}
            </button>
          </div>
          <ErrorMessage>{view.error && describeError(view.error)}</ErrorMessage>
          <p className="hint">Did not ask to sign in? Close this page. Nothing happens until you choose.</p>
        </>
      )}
      {view.kind === "approved" && (
        <>
          <PageTitle>Sign-in approved</PageTitle>
          <StatusMessage>
            Approved — return to your other device{view.email ? ` to continue as ${view.email}` : ""}. This
            device stays signed out.
          </StatusMessage>
          <p className="hint">You can close this page.</p>
        </>
      )}
      {view.kind === "failed" && <LinkFailed error={view.error} onRetry={linkToken ? signIn : null} />}
    </Layout>
  );
}

function LinkFailed({ error, onRetry }: { error: ApiError; onRetry: (() => void) | null }) {
  const dead = Object.hasOwn(deadLinks, error.code) ? deadLinks[error.code] : undefined;
  const isDead = dead !== undefined;
  return (
    <>
      <PageTitle>{dead?.title ?? "We could not check this link"}</PageTitle>
      <ErrorMessage>{dead?.message ?? describeError(error)}</ErrorMessage>
      <p className="hint">
        {isDead
          ? "Ask for a new one from the sign-in page: it takes a few seconds."
          : "If this keeps happening, ask for a new link from the sign-in page."}
      </p>
      <div className="stack">
        {!isDead && onRetry && (
          <button className="button button-primary" type="button" onClick={onRetry}>
            Try again
          </button>
        )}
        <button
          className={isDead ? "button button-primary" : "button button-secondary"}
          type="button"
          onClick={() => navigate(paths.signIn)}
        >
          Back to sign in
        </button>
      </div>
    </>
  );
}
