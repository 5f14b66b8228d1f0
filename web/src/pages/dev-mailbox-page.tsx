import { useCallback, useEffect, useState } from "react";
import { Layout, PageTitle } from "../components/layout.js";
import { ErrorMessage, StatusMessage } from "../components/messages.js";
import { api } from "../lib/api.js";
import { isApiError } from "../lib/api-error.js";
import type { DevMailboxMessage } from "../lib/api-types.js";
import { formatDateTime, formatRelative, toDate } from "../lib/format.js";
import { describeError } from "../lib/messages.js";
import { useDocumentTitle } from "../lib/use-document-title.js";

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

export function DevMailboxPage() {
  const [load, setLoad] = useState<Load>({ kind: "loading", messages: null });
  useDocumentTitle("Dev mailbox");

  const refresh = useCallback(() => {
    setLoad((current) => ({ kind: "loading", messages: "messages" in current ? current.messages : null }));
    api.devMailbox().then(
      (result) => setLoad({ kind: "ready", messages: [...result.messages].sort(newestFirst) }),
      (error: unknown) =>
        setLoad(
          isApiError(error) && error.status === 404
            ? { kind: "off" }
            : { kind: "failed", message: describeError(error) },
        ),
    );
  }, []);

  useEffect(refresh, [refresh]);

  const messages = "messages" in load ? load.messages : null;
  const status =
    load.kind === "loading"
      ? "Loading messages…"
      : load.kind === "ready"
        ? `${load.messages.length} messages`
        : "";

  return (
    <Layout wide>
      <div className="account">
        <div>
          <PageTitle>Dev mailbox</PageTitle>
          <p className="muted">Emails this server would have sent. Development only.</p>
        </div>
        {load.kind !== "off" && (
          <button
            className="button button-secondary"
            type="button"
            aria-disabled={load.kind === "loading" || undefined}
            onClick={() => load.kind !== "loading" && refresh()}
          >
            Refresh
          </button>
        )}
      </div>
      <StatusMessage quiet>{status}</StatusMessage>
      <ErrorMessage>{load.kind === "failed" ? load.message : undefined}</ErrorMessage>
      {load.kind === "off" && (
        <p className="notice">
          The dev mailbox is off. It exists only in development when no <code>SMTP_URL</code> is set; in
          production, mail goes to your SMTP server.
        </p>
      )}
      {messages && messages.length === 0 && (
        <p className="muted">No messages yet. Ask for a sign-in code on the sign-in page, then refresh.</p>
      )}
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
  const href = safeHref(message.link);
  return (
    <li className="list-item mail">
      <div className="list-body">
        <p className="list-title">{message.subject}</p>
        <p className="muted small">
          To <span className="address">{message.to}</span> ·{" "}
          <time dateTime={message.created_at} title={formatDateTime(message.created_at)}>
            {formatRelative(message.created_at)}
          </time>
        </p>
        {message.code && (
          <p className="mail-code">
            <span className="visually-hidden">Code: </span>
            {message.code}
          </p>
        )}
        {href && (
          <p>
            <a className="mail-link" href={href}>
              Open the sign-in link
            </a>
          </p>
        )}
        <details className="mail-text">
          <summary>Show the email text</summary>
          <pre>{message.text}</pre>
        </details>
      </div>
    </li>
  );
}
