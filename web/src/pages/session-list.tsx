import { useCallback, useEffect, useState } from "react";
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
      setMessage({ status: `Signed out ${describeUserAgent(session.user_agent)}.` });
    } catch (error) {
      if (!(isApiError(error) && error.code === "session_not_found")) {
        setRevoking(null);
        return fail(error, (text) => setMessage({ error: text }));
      }
    }
    setRevoking(null);
    setSessions((current) => current?.filter((item) => item.id !== session.id) ?? null);
  };

  return (
    <section className="section" aria-labelledby="sessions-title">
      <h2 id="sessions-title" className="section-title">
        Where you are signed in
      </h2>
      <StatusMessage>{message.status}</StatusMessage>
      <ErrorMessage>{message.error ?? loadError}</ErrorMessage>
      {loadError && (
        <button className="button button-secondary" type="button" onClick={load}>
          Try again
        </button>
      )}
      {!sessions && !loadError && <Loading label="Loading sessions…" />}
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
                    {session.current && <span className="badge">This device</span>}
                  </p>
                  <p className="muted small">
                    {session.ip ?? "Unknown IP"} · Last used{" "}
                    <time dateTime={session.last_used_at} title={formatDateTime(session.last_used_at)}>
                      {formatRelative(session.last_used_at)}
                    </time>{" "}
                    · Signed in {formatDateTime(session.created_at)}
                  </p>
                </div>
                {!session.current && (
                  <button
                    className="button button-small button-secondary"
                    type="button"
                    aria-disabled={revoking !== null || undefined}
                    onClick={() => void revoke(session)}
                  >
                    {revoking === session.id ? "Revoking…" : "Revoke"}
                    <span className="visually-hidden"> {device}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {sessions?.length === 1 && <p className="muted small">You are not signed in anywhere else.</p>}
    </section>
  );
}
