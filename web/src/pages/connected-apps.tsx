import { useCallback, useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { ErrorMessage, Loading } from "../components/messages.js";
import { formatDateTime, formatRelative } from "../lib/format.js";
import { describeError } from "../lib/messages.js";
import { type ConnectedApp, oidcApi } from "../lib/oidc-api.js";

/** The dashboard's "Connected apps": apps that sign in through Latchkey, and "Disconnect". */
export function ConnectedApps() {
  const { t } = useTranslation();
  const [apps, setApps] = useState<ConnectedApp[] | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(() => {
    oidcApi.connectedApps().then(
      (result) => setApps(result.apps),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  useEffect(load, [load]);

  const disconnect = async (clientId: string) => {
    if (busy) return;
    setBusy(clientId);
    setError(undefined);
    try {
      await oidcApi.disconnect(clientId);
      setApps((current) => current?.filter((app) => app.client_id !== clientId) ?? null);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="section" aria-labelledby="apps-title">
      <h2 id="apps-title" className="section-title">
        {t("apps.title")}
      </h2>
      {apps === null && !error && <Loading label={t("apps.loading")} />}
      <ErrorMessage>{error}</ErrorMessage>
      {apps?.length === 0 && <p className="muted small">{t("apps.none")}</p>}
      {apps && apps.length > 0 && (
        <ul className="list">
          {apps.map((app) => (
            <li key={app.client_id} className="list-item">
              <div className="list-body">
                <p className="list-title">{app.name}</p>
                <p className="muted small">
                  <Trans
                    i18nKey="apps.details"
                    values={{ scopes: app.scopes.join(", "), lastUsed: formatRelative(app.last_used_at) }}
                    components={{
                      time: <time dateTime={app.last_used_at} title={formatDateTime(app.last_used_at)} />,
                    }}
                  />
                </p>
              </div>
              <button
                className="button button-secondary button-small"
                type="button"
                aria-disabled={busy !== null || undefined}
                onClick={() => void disconnect(app.client_id)}
              >
                {busy === app.client_id ? t("apps.disconnecting") : t("apps.disconnect")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
