import { useCallback, useEffect, useState } from "react";
import { ErrorMessage, Loading } from "../components/messages.js";
import { api } from "../lib/api.js";
import { isApiError } from "../lib/api-error.js";
import type { AuditEvent } from "../lib/api-types.js";
import { formatDateTime, formatRelative } from "../lib/format.js";
import { describeError } from "../lib/messages.js";
import { describeUserAgent } from "../lib/user-agent.js";

const shownAtFirst = 8;

/** "sign_in.success" → "Sign in success". */
export function describeEventType(type: string): string {
  const words = type.replace(/[._-]+/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : "Event";
}

type Load =
  | { kind: "loading" }
  | { kind: "off" }
  | { kind: "failed"; message: string }
  | { kind: "ready"; events: AuditEvent[] };

export function SecurityEvents() {
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [showAll, setShowAll] = useState(false);

  const fetchEvents = useCallback(() => {
    setLoad({ kind: "loading" });
    api.audit().then(
      (result) => setLoad({ kind: "ready", events: result.events }),
      (error: unknown) =>
        setLoad(
          isApiError(error) && error.status === 404
            ? { kind: "off" }
            : { kind: "failed", message: describeError(error) },
        ),
    );
  }, []);

  useEffect(fetchEvents, [fetchEvents]);

  const events = load.kind === "ready" ? load.events : [];
  const visible = showAll ? events : events.slice(0, shownAtFirst);

  return (
    <section className="section" aria-labelledby="events-title">
      <h2 id="events-title" className="section-title">
        Recent security events
      </h2>
      {load.kind === "loading" && <Loading label="Loading security events…" />}
      {load.kind === "off" && <p className="muted small">This server does not keep a security log.</p>}
      <ErrorMessage>{load.kind === "failed" ? load.message : undefined}</ErrorMessage>
      {load.kind === "failed" && (
        <button className="button button-secondary button-small" type="button" onClick={fetchEvents}>
          Try again
        </button>
      )}
      {load.kind === "ready" && events.length === 0 && <p className="muted small">No events yet.</p>}
      {visible.length > 0 && (
        <ul className="list list-compact">
          {visible.map((event) => (
            <li key={event.id} className="list-item">
              <div className="list-body">
                <p className="list-title">{describeEventType(event.type)}</p>
                <p className="muted small">
                  <time dateTime={event.at} title={formatDateTime(event.at)}>
                    {formatRelative(event.at)}
                  </time>
                  {event.ip && ` · ${event.ip}`}
                  {event.user_agent && ` · ${describeUserAgent(event.user_agent)}`}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      {events.length > shownAtFirst && (
        <button className="button button-link" type="button" onClick={() => setShowAll(!showAll)}>
          {showAll ? "Show fewer" : `Show all ${events.length} events`}
        </button>
      )}
    </section>
  );
}
