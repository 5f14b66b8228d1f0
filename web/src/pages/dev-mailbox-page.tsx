import { useCallback, useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Layout, PageTitle } from "../components/layout.js";
import { ErrorMessage, StatusMessage } from "../components/messages.js";
import { api } from "../lib/api.js";
import { isApiError } from "../lib/api-error.js";
import type { DevMailboxMessage } from "../lib/api-types.js";
import { formatDateTime, formatRelative, toDate } from "../lib/format.js";
import { describeError } from "../lib/messages.js";
import { useDocumentTitle } from "../lib/use-document-title.js";

/** How often the open mailbox asks for new mail. */
export const MAILBOX_POLL_MS = 3000;

type Load =
  | { kind: "loading"; messages: DevMailboxMessage[] | null }
  | { kind: "off" }
  | { kind: "failed"; message: string }
  | { kind: "ready"; messages: DevMailboxMessage[] };

function newestFirst(a: DevMailboxMessage, b: DevMailboxMessage): number {
  return (toDate(b.created_at)?.getTime() ?? 0) - (toDate(a.created_at)?.getTime() ?? 0);
}

/** Only web links are rendered as links; anything else is shown as text. */
function safeHref(link: string | null): string | undefined {
  if (!link) return undefined;
  try {
    const url = new URL(link, window.location.origin);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where the message's HTML part is served as its own page (with a CSP that allows the mail's
 * inline styles and nothing else), when the server keeps one. A `srcdoc` frame would inherit
 * this page's CSP, which refuses the inline styles every mail relies on.
 */
function htmlPartUrl(message: DevMailboxMessage): string | undefined {
  return message.html ? `/dev/mailbox/${message.id}/html` : undefined;
}

export function DevMailboxPage() {
  const { t } = useTranslation();
  const [load, setLoad] = useState<Load>({ kind: "loading", messages: null });
  useDocumentTitle(t("mailbox.title"));

  const fetchMail = useCallback((quietly: boolean) => {
    if (!quietly) {
      setLoad((current) => ({ kind: "loading", messages: "messages" in current ? current.messages : null }));
    }
    return api.devMailbox().then(
      (result) => setLoad({ kind: "ready", messages: [...result.messages].sort(newestFirst) }),
      (error: unknown) =>
        setLoad(
          isApiError(error) && error.status === 404
            ? { kind: "off" }
            : { kind: "failed", message: describeError(error) },
        ),
    );
  }, []);

  const refresh = useCallback(() => void fetchMail(false), [fetchMail]);
  useEffect(refresh, [refresh]);

  // New mail appears by itself while the page is open (and visible).
  const polling = load.kind === "ready";
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== "hidden") void fetchMail(true);
    }, MAILBOX_POLL_MS);
    return () => clearInterval(timer);
  }, [polling, fetchMail]);

  const messages = "messages" in load ? load.messages : null;
  const status =
    load.kind === "loading"
      ? t("mailbox.loading")
      : load.kind === "ready"
        ? t("mailbox.count", { count: load.messages.length })
        : "";

  return (
    <Layout wide>
      <div className="account">
        <div>
          <PageTitle>{t("mailbox.title")}</PageTitle>
          <p className="muted">{t("mailbox.lead")}</p>
        </div>
        {load.kind !== "off" && (
          <button
            className="button button-secondary"
            type="button"
            aria-disabled={load.kind === "loading" || undefined}
            onClick={() => load.kind !== "loading" && refresh()}
          >
            {t("mailbox.refresh")}
          </button>
        )}
      </div>
      <StatusMessage quiet>{status}</StatusMessage>
      <ErrorMessage>{load.kind === "failed" ? load.message : undefined}</ErrorMessage>
      {load.kind === "off" && (
        <p className="notice">
          <Trans i18nKey="mailbox.off" components={{ code: <code /> }} />
        </p>
      )}
      {messages && messages.length === 0 && <p className="muted">{t("mailbox.empty")}</p>}
      {messages && messages.length > 0 && (
        <ul className="list">
          {messages.map((message) => (
            <MailItem key={message.id} message={message} />
          ))}
        </ul>
      )}
    </Layout>
  );
}

function MailItem({ message }: { message: DevMailboxMessage }) {
  const { t } = useTranslation();
  const href = safeHref(message.link);
  const html = htmlPartUrl(message);
  return (
    <li className="list-item mail">
      <div className="list-body">
        <p className="list-title">{message.subject}</p>
        <p className="muted small">
          <Trans
            i18nKey="mailbox.to"
            values={{ to: message.to, when: formatRelative(message.created_at) }}
            components={{
              address: <span className="address" />,
              time: <time dateTime={message.created_at} title={formatDateTime(message.created_at)} />,
            }}
          />
        </p>
        {message.code && (
          <p className="mail-code">
            <span className="visually-hidden">{t("mailbox.code")}</span>
            {message.code}
          </p>
        )}
        {href && (
          <p>
            <a className="mail-link" href={href}>
              {t("mailbox.openLink")}
            </a>
          </p>
        )}
        {html && (
          // sandbox="" : no script, no form, no top navigation, an opaque origin.
          <iframe
            className="mail-preview"
            title={t("mailbox.preview", { subject: message.subject })}
            sandbox=""
            src={html}
          />
        )}
        <details className="mail-text">
          <summary>{t("mailbox.showText")}</summary>
          <pre>{message.text}</pre>
        </details>
      </div>
    </li>
  );
}
