import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorMessage, Loading } from "../components/messages.js";
import { api } from "../lib/api.js";
import { isApiError } from "../lib/api-error.js";
import type { AuditEvent } from "../lib/api-types.js";
import { formatDateTime, formatRelative } from "../lib/format.js";
import { i18n, t } from "../lib/i18n.js";
import { describeError } from "../lib/messages.js";
import { describeUserAgent } from "../lib/user-agent.js";

const shownAtFirst = 8;

/** Events someone else can cause by typing the owner's address: shown with a calm explanation. */
const STRANGER_EVENTS = new Set(["challenge_started", "challenge_resent", "code_failed", "code_locked"]);

/** "Signed in to Acme Docs", "Wrong code entered"; the catalogue's sentence, else the type in words. */
export function describeEvent(event: Pick<AuditEvent, "type" | "app">): string {
  const appKey = `events.app.${event.type}`;
  if (event.app && i18n.exists(appKey)) return t(appKey, { app: event.app });
  const typeKey = `events.types.${event.type}`;
  return i18n.exists(typeKey) ? t(typeKey) : describeEventType(event.type);
}

/** "sign_in.success" → "Sign in success". */
export function describeEventType(type: string): string {
  const words = type.replace(/[._-]+/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : t("events.generic");
}

type Load =
  | { kind: "loading" }
  | { kind: "off" }
  | { kind: "failed"; message: string }
  | { kind: "ready"; events: AuditEvent[] };

export function SecurityEvents() {
  useTranslation();
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
        {t("events.title")}
      </h2>
      {load.kind === "loading" && <Loading label={t("events.loading")} />}
      {load.kind === "off" && <p className="muted small">{t("events.off")}</p>}
      {events.some((event) => STRANGER_EVENTS.has(event.type)) && (
        <p className="muted small">{t("events.explain")}</p>
      )}
      <ErrorMessage>{load.kind === "failed" ? load.message : undefined}</ErrorMessage>
      {load.kind === "failed" && (
        <button className="button button-secondary button-small" type="button" onClick={fetchEvents}>
          {t("events.tryAgain")}
        </button>
      )}
      {load.kind === "ready" && events.length === 0 && <p className="muted small">{t("events.none")}</p>}
      {visible.length > 0 && (
        <ul className="list list-compact">
          {visible.map((event) => (
            <li key={event.id} className="list-item" data-event={event.type}>
              <div className="list-body">
                <p className="list-title">{describeEvent(event)}</p>
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
          {showAll ? t("events.showFewer") : t("events.showAll", { count: events.length })}
        </button>
      )}
    </section>
  );
}
