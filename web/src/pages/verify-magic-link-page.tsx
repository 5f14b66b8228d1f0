import { useCallback, useEffect, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Layout, PageTitle, SupportLine } from "../components/layout.js";
import { ErrorMessage, StatusMessage } from "../components/messages.js";
import { type ApprovalDetails, api } from "../lib/api.js";
import { ApiError, isApiError } from "../lib/api-error.js";
import { formatDateTime, formatRelative } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import { describeError } from "../lib/messages.js";
import { navigate } from "../lib/router.js";
import { paths } from "../lib/routes.js";
import { findSignedInSession } from "../lib/signed-in-session.js";
import { useDocumentTitle } from "../lib/use-document-title.js";
import { describeUserAgent } from "../lib/user-agent.js";

type View =
  | { kind: "missing" }
  | { kind: "ready"; busy: boolean }
  | { kind: "confirm"; email: string | null; busy: "sign-in" | "approve" | null; error: ApiError | null }
  | { kind: "approve"; details: ApprovalDetails; busy: boolean; error: ApiError | null }
  | { kind: "approved"; email: string | null }
  | { kind: "refused" }
  | { kind: "already"; email: string | null }
  | { kind: "failed"; error: ApiError };

/** Answers after which this link can never work: catalogue keys for a title and what happened. */
const deadLinks: Record<string, { title: string; message: string }> = {
  invalid_link_token: { title: "verify.dead.invalidTitle", message: "verify.dead.invalid" },
  challenge_not_found: { title: "verify.dead.invalidTitle", message: "verify.dead.invalid" },
  challenge_expired: { title: "verify.dead.expiredTitle", message: "verify.dead.expired" },
  challenge_used: { title: "verify.dead.usedTitle", message: "verify.dead.used" },
  approval_number_mismatch: { title: "verify.dead.mismatchTitle", message: "verify.dead.mismatch" },
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
  useTranslation();
  const [view, setView] = useState<View>(linkToken ? { kind: "ready", busy: false } : { kind: "missing" });
  const signInButton = useRef<HTMLButtonElement>(null);
  useDocumentTitle(t("verify.pageTitle"));
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
    api.verifyMagicLink(linkToken, { authRequestId }).then(signedIn, async (caught) => {
      const error = asApiError(caught);
      if (error.code === "already_authenticated" || error.code === "challenge_used") {
        // Signed in already (with the code, or this link in another tab): say so, not "already used".
        const session = await findSignedInSession().catch(() => undefined);
        if (session) return setView({ kind: "already", email: session.email });
        if (error.code === "already_authenticated") return signedIn();
      }
      if (error.code !== "confirmation_required") return setView({ kind: "failed", error });
      const email = typeof error.extra.email === "string" ? error.extra.email : null;
      setView({ kind: "confirm", email, busy: null, error: null });
    });
  }, [linkToken, authRequestId]);

  const failOrStay = (error: ApiError, stay: () => void) => {
    if (Object.hasOwn(deadLinks, error.code)) setView({ kind: "failed", error });
    else stay();
  };

  /** Number matching: the person must pick the number the waiting browser shows (SECURITY.md 10). */
  const approve = (details: ApprovalDetails, approvalNumber: number) => {
    if (!linkToken) return;
    setView({ kind: "approve", details, busy: true, error: null });
    api.approveMagicLink(linkToken, { authRequestId, approvalNumber }).then(
      (result) => setView({ kind: "approved", email: result.email }),
      (caught) => {
        const error = asApiError(caught);
        failOrStay(error, () => setView({ kind: "approve", details, busy: false, error }));
      },
    );
  };

  const refuse = (details: ApprovalDetails) => {
    if (!linkToken) return;
    setView({ kind: "approve", details, busy: true, error: null });
    api.refuseMagicLink(linkToken, { authRequestId }).then(
      () => setView({ kind: "refused" }),
      (caught) => {
        const error = asApiError(caught);
        failOrStay(error, () => setView({ kind: "approve", details, busy: false, error }));
      },
    );
  };

  const choose = (choice: "sign-in" | "approve", email: string | null) => {
    if (!linkToken) return;
    setView({ kind: "confirm", email, busy: choice, error: null });
    const done =
      choice === "sign-in"
        ? api.verifyMagicLink(linkToken, { confirm: true, authRequestId }).then(signedIn)
        : api
            .approvalDetails(linkToken, { authRequestId })
            .then((details) => setView({ kind: "approve", details, busy: false, error: null }));
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
          <PageTitle>{t("verify.missingTitle")}</PageTitle>
          <p className="lead">{t("verify.missingLead")}</p>
          <button className="button button-primary" type="button" onClick={() => navigate(paths.signIn)}>
            {t("verify.backToSignIn")}
          </button>
        </>
      )}
      {view.kind === "ready" && (
        <>
          <PageTitle>{t("verify.readyTitle")}</PageTitle>
          <p className="lead">{t("verify.readyLead")}</p>
          <button
            ref={signInButton}
            className="button button-primary"
            type="button"
            aria-disabled={view.busy || undefined}
            onClick={() => !view.busy && signIn()}
          >
            {view.busy ? t("verify.signingIn") : t("verify.signIn")}
          </button>
          <p className="hint">{t("verify.readyHint")}</p>
        </>
      )}
      {view.kind === "confirm" && (
        <>
          <PageTitle>{t("verify.confirmTitle")}</PageTitle>
          <p className="lead">
            <Trans
              i18nKey="verify.confirmLead"
              values={{ email: view.email ?? t("verify.yourAccount") }}
              components={{ address: <strong className="address" /> }}
            />
          </p>
          <div className="stack">
            <button
              className="button button-primary"
              type="button"
              aria-disabled={view.busy !== null || undefined}
              onClick={() => view.busy === null && choose("sign-in", view.email)}
            >
              {view.busy === "sign-in" ? t("verify.signingIn") : t("verify.signInHere")}
            </button>
            <button
              className="button button-secondary"
              type="button"
              aria-disabled={view.busy !== null || undefined}
              onClick={() => view.busy === null && choose("approve", view.email)}
            >
              {view.busy === "approve" ? t("verify.approving") : t("verify.approveOther")}
            </button>
          </div>
          <ErrorMessage>{view.error && describeError(view.error)}</ErrorMessage>
          <p className="hint">{t("verify.confirmHint")}</p>
        </>
      )}
      {view.kind === "approve" && (
        <ApproveRequest
          view={view}
          onPick={(number) => !view.busy && approve(view.details, number)}
          onRefuse={() => !view.busy && refuse(view.details)}
        />
      )}
      {view.kind === "refused" && (
        <>
          <PageTitle>{t("verify.refusedTitle")}</PageTitle>
          <StatusMessage>{t("verify.refusedStatus")}</StatusMessage>
          <p className="hint">{t("verify.refusedHint")}</p>
          <SupportLine />
        </>
      )}
      {view.kind === "approved" && (
        <>
          <PageTitle>{t("verify.approvedTitle")}</PageTitle>
          <StatusMessage>
            {view.email ? t("verify.approvedAs", { email: view.email }) : t("verify.approved")}
          </StatusMessage>
          <p className="hint">{t("verify.closePage")}</p>
        </>
      )}
      {view.kind === "already" && <AlreadySignedIn email={view.email} />}
      {view.kind === "failed" && <LinkFailed error={view.error} onRetry={linkToken ? signIn : null} />}
    </Layout>
  );
}

/** What is being approved (device, place, time), the three numbers, and "This wasn't me". */
function ApproveRequest({
  view,
  onPick,
  onRefuse,
}: {
  view: Extract<View, { kind: "approve" }>;
  onPick: (number: number) => void;
  onRefuse: () => void;
}) {
  const { details } = view;
  return (
    <>
      <PageTitle>{t("approval.title")}</PageTitle>
      <p className="lead">{t("approval.lead")}</p>
      <dl className="request-facts">
        <dt>{t("approval.device")}</dt>
        <dd>{describeUserAgent(details.user_agent)}</dd>
        <dt>{t("approval.place")}</dt>
        <dd>
          {details.place ? t("approval.placeApprox", { place: details.place }) : t("approval.placeUnknown")}
        </dd>
        <dt>{t("approval.time")}</dt>
        <dd>
          <time dateTime={details.requested_at}>
            {formatDateTime(details.requested_at)} ({formatRelative(details.requested_at)})
          </time>
        </dd>
      </dl>
      <p className="notice">{t("approval.warning")}</p>
      <fieldset className="number-choices">
        <legend>{t("approval.pick")}</legend>
        {details.choices.map((number) => (
          <button
            key={number}
            className="button button-secondary"
            type="button"
            aria-disabled={view.busy || undefined}
            onClick={() => onPick(number)}
          >
            {number}
          </button>
        ))}
      </fieldset>
      <ErrorMessage>{view.error && describeError(view.error)}</ErrorMessage>
      <button
        className="button button-danger"
        type="button"
        aria-disabled={view.busy || undefined}
        onClick={onRefuse}
      >
        {t("approval.notMe")}
      </button>
      <p className="hint">{t("approval.notSure")}</p>
    </>
  );
}

/** The link was opened where this person is signed in already: nothing to do but go on. */
function AlreadySignedIn({ email }: { email: string | null }) {
  const continueButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    continueButton.current?.focus();
  }, []);
  return (
    <>
      <PageTitle>{t("verify.alreadyTitle")}</PageTitle>
      <p className="lead">
        {email ? (
          <Trans
            i18nKey="verify.alreadyLead"
            values={{ email }}
            components={{ address: <strong className="address" /> }}
          />
        ) : (
          t("verify.alreadyLeadNoEmail")
        )}
      </p>
      <button ref={continueButton} className="button button-primary" type="button" onClick={signedIn}>
        {t("verify.continue")}
      </button>
    </>
  );
}

function LinkFailed({ error, onRetry }: { error: ApiError; onRetry: (() => void) | null }) {
  const dead = Object.hasOwn(deadLinks, error.code) ? deadLinks[error.code] : undefined;
  const isDead = dead !== undefined;
  return (
    <>
      <PageTitle>{dead ? t(dead.title) : t("verify.failedTitle")}</PageTitle>
      <ErrorMessage>{dead ? t(dead.message) : describeError(error)}</ErrorMessage>
      <p className="hint">{isDead ? t("verify.deadHint") : t("verify.retryHint")}</p>
      <div className="stack">
        {!isDead && onRetry && (
          <button className="button button-primary" type="button" onClick={onRetry}>
            {t("verify.tryAgain")}
          </button>
        )}
        <button
          className={isDead ? "button button-primary" : "button button-secondary"}
          type="button"
          onClick={() => navigate(paths.signIn)}
        >
          {t("verify.backToSignIn")}
        </button>
      </div>
      <SupportLine />
    </>
  );
}
