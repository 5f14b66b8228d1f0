import { useCallback, useEffect, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { ErrorMessage, Loading, StatusMessage } from "../components/messages.js";
import { api } from "../lib/api.js";
import { type ApiError, isApiError } from "../lib/api-error.js";
import type { SessionSummary } from "../lib/api-types.js";
import { formatDateTime, formatRelative } from "../lib/format.js";
import { describeError } from "../lib/messages.js";
import { describeUserAgent, parseUserAgent } from "../lib/user-agent.js";
import { DeviceIcon } from "./device-icon.js";

function byRecentUse(a: SessionSummary, b: SessionSummary): number {
  if (a.current !== b.current) return a.current ? -1 : 1;
  return Date.parse(b.last_used_at) - Date.parse(a.last_used_at);
}

export function SessionList({ onSessionEnded }: { onSessionEnded: (error: ApiError) => void }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | undefined>();
  const [revoking, setRevoking] = useState<string | null>(null);
  const [message, setMessage] = useState<{ error?: string; status?: string }>({});

  const fail = useCallback(
    (error: unknown, show: (text: string) => void) => {
      if (isApiError(error) && error.status === 401) onSessionEnded(error);
      else show(describeError(error));
    },
    [onSessionEnded],
  );

  const load = useCallback(() => {
    setLoadError(undefined);
    api.listSessions().then(
      (result) => setSessions([...result.sessions].sort(byRecentUse)),
      (error: unknown) => fail(error, setLoadError),
    );
  }, [fail]);

  useEffect(load, [load]);

  const revoke = async (session: SessionSummary) => {
    if (revoking) return;
    setRevoking(session.id);
    setMessage({});
    try {
      await api.revokeSession(session.id);
      setMessage({ status: t("sessions.revoked", { device: describeUserAgent(session.user_agent) }) });
    } catch (error) {
      if (!(isApiError(error) && error.code === "session_not_found")) {
        setRevoking(null);
        return fail(error, (text) => setMessage({ error: text }));
      }
    }
    setRevoking(null);
    setConfirming(null);
    setSessions((current) => current?.filter((item) => item.id !== session.id) ?? null);
    // The row and its button are gone: continue from the list's heading, which the status follows.
    heading.current?.focus();
  };

  return (
    <section className="section" aria-labelledby="sessions-title">
      <h2 id="sessions-title" className="section-title" ref={heading} tabIndex={-1}>
        {t("sessions.title")}
      </h2>
      <StatusMessage>{message.status}</StatusMessage>
      <ErrorMessage>{message.error ?? loadError}</ErrorMessage>
      {loadError && (
        <button className="button button-secondary" type="button" onClick={load}>
          {t("sessions.tryAgain")}
        </button>
      )}
      {!sessions && !loadError && <Loading label={t("sessions.loading")} />}
      {sessions && (
        <ul className="list">
          {sessions.map((session) => {
            const device = describeUserAgent(session.user_agent);
            return (
              <li key={session.id} className="list-item">
                <DeviceIcon kind={parseUserAgent(session.user_agent).kind} />
                <div className="list-body">
                  <p className="list-title">
                    {device}
                    {session.current && <span className="badge">{t("sessions.thisDevice")}</span>}
                  </p>
                  <p className="muted small">
                    <Trans
                      i18nKey="sessions.details"
                      values={{
                        ip: session.ip ?? t("sessions.unknownIp"),
                        lastUsed: formatRelative(session.last_used_at),
                        signedIn: formatDateTime(session.created_at),
                      }}
                      components={{
                        time: (
                          <time
                            dateTime={session.last_used_at}
                            title={formatDateTime(session.last_used_at)}
                          />
                        ),
                      }}
                    />
                  </p>
                  {confirming === session.id && (
                    <RevokeConfirm
                      device={device}
                      busy={revoking === session.id}
                      onConfirm={() => void revoke(session)}
                      onCancel={() => setConfirming(null)}
                    />
                  )}
                </div>
                {!session.current && confirming !== session.id && (
                  <button
                    className="button button-small button-secondary"
                    type="button"
                    aria-disabled={revoking !== null || undefined}
                    onClick={() => revoking === null && setConfirming(session.id)}
                  >
                    {t("sessions.revoke")}
                    <span className="visually-hidden"> {device}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {sessions?.length === 1 && <p className="muted small">{t("sessions.alone")}</p>}
    </section>
  );
}

/** "Sign out Firefox on Windows?" with the answer focused, so Enter does not act on a stray click. */
function RevokeConfirm({
  device,
  busy,
  onConfirm,
  onCancel,
}: {
  device: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    yes.current?.focus();
  }, []);
  return (
    <fieldset className="row confirm">
      <legend className="small">{t("sessions.confirmRevoke", { device })}</legend>
      <button
        ref={yes}
        className="button button-small button-danger"
        type="button"
        aria-disabled={busy || undefined}
        onClick={() => !busy && onConfirm()}
      >
        {busy ? t("sessions.revoking") : t("sessions.confirmRevokeYes")}
      </button>
      <button className="button button-small button-link" type="button" onClick={onCancel}>
        {t("sessions.keep")}
      </button>
    </fieldset>
  );
}
