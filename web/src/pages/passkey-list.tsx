import { type FormEvent, useCallback, useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { ErrorMessage, Loading, StatusMessage } from "../components/messages.js";
import { StepUpPrompt, useStepUp } from "../components/step-up.js";
import type { ApiError } from "../lib/api-error.js";
import { isApiError } from "../lib/api-error.js";
import { formatDateTime, formatRelative } from "../lib/format.js";
import {
  addPasskey,
  describePasskeyError,
  type PasskeySummary,
  passkeyApi,
  supportsPasskeys,
} from "../lib/passkeys.js";

type Message = { error?: string; status?: string };

function PasskeyItem({
  passkey,
  onRemove,
  onRenamed,
  onError,
}: {
  passkey: PasskeySummary;
  onRemove: (passkey: PasskeySummary) => Promise<void>;
  onRenamed: (passkey: PasskeySummary) => void;
  onError: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<"view" | "rename" | "confirm">("view");
  const [name, setName] = useState(passkey.name);
  const [busy, setBusy] = useState(false);
  const nameId = `passkey-${passkey.id}`;

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      onRenamed(await passkeyApi.rename(passkey.id, name));
      setMode("view");
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    await onRemove(passkey);
    setBusy(false);
    setMode("view");
  };

  return (
    <li className="list-item">
      <div className="list-body">
        {mode === "rename" ? (
          <form className="row" onSubmit={(event) => void rename(event)}>
            <label className="visually-hidden" htmlFor={`${nameId}-name`}>
              {t("passkeys.name")}
            </label>
            <input
              id={`${nameId}-name`}
              className="input"
              maxLength={64}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
            <button
              className="button button-small button-primary"
              type="submit"
              aria-disabled={busy || undefined}
            >
              {t("passkeys.save")}
            </button>
            <button className="button button-small button-link" type="button" onClick={() => setMode("view")}>
              {t("passkeys.cancel")}
            </button>
          </form>
        ) : (
          <p className="list-title" id={nameId}>
            {passkey.name}
            <span className="badge">{passkey.synced ? t("passkeys.synced") : t("passkeys.deviceOnly")}</span>
          </p>
        )}
        <p className="muted small">
          {passkey.last_used_at ? (
            <Trans
              i18nKey="passkeys.details"
              values={{
                added: formatDateTime(passkey.created_at),
                lastUsed: formatRelative(passkey.last_used_at),
              }}
              components={{
                time: <time dateTime={passkey.last_used_at} title={formatDateTime(passkey.last_used_at)} />,
              }}
            />
          ) : (
            t("passkeys.detailsNever", { added: formatDateTime(passkey.created_at) })
          )}
        </p>
        {mode === "confirm" && (
          <fieldset className="row confirm">
            <legend className="small">{t("passkeys.confirmRemove")}</legend>
            <button
              className="button button-small button-danger"
              type="button"
              aria-disabled={busy || undefined}
              onClick={() => void remove()}
            >
              {busy ? t("passkeys.removing") : t("passkeys.removeYes")}
            </button>
            <button className="button button-small button-link" type="button" onClick={() => setMode("view")}>
              {t("passkeys.keep")}
            </button>
          </fieldset>
        )}
      </div>
      {mode === "view" && (
        <div className="row">
          <button
            className="button button-small button-link"
            type="button"
            aria-describedby={nameId}
            onClick={() => setMode("rename")}
          >
            {t("passkeys.rename")}
          </button>
          <button
            className="button button-small button-secondary"
            type="button"
            aria-describedby={nameId}
            onClick={() => setMode("confirm")}
          >
            {t("passkeys.remove")}
          </button>
        </div>
      )}
    </li>
  );
}

/** The dashboard's passkeys: add one on this device, rename, remove (after a recent sign-in). */
export function PasskeyList({ onSessionEnded }: { onSessionEnded: (error: ApiError) => void }) {
  const { t } = useTranslation();
  const [passkeys, setPasskeys] = useState<PasskeySummary[] | null>(null);
  const [message, setMessage] = useState<Message>({});
  const [adding, setAdding] = useState(false);
  const stepUp = useStepUp();

  const fail = useCallback(
    (error: unknown) => {
      if (isApiError(error) && error.status === 401) onSessionEnded(error);
      else setMessage({ error: describePasskeyError(error) });
    },
    [onSessionEnded],
  );

  const load = useCallback(() => {
    passkeyApi.list().then((result) => setPasskeys(result.passkeys), fail);
  }, [fail]);

  useEffect(load, [load]);

  const add = async () => {
    if (adding) return;
    setAdding(true);
    setMessage({});
    try {
      const passkey = await addPasskey();
      setPasskeys((current) => [...(current ?? []), passkey]);
      setMessage({ status: t("passkeys.added", { name: passkey.name }) });
    } catch (error) {
      fail(error);
    } finally {
      setAdding(false);
    }
  };

  const remove = async (passkey: PasskeySummary) => {
    setMessage({});
    const action = async () => {
      await passkeyApi.remove(passkey.id).catch((error: unknown) => {
        if (!(isApiError(error) && error.code === "passkey_not_found")) throw error;
      });
      setPasskeys((current) => current?.filter((item) => item.id !== passkey.id) ?? null);
      setMessage({ status: t("passkeys.removed", { name: passkey.name }) });
    };
    await stepUp.guard(action).catch(fail);
  };

  const renamed = (passkey: PasskeySummary) =>
    setPasskeys((current) => current?.map((item) => (item.id === passkey.id ? passkey : item)) ?? null);

  return (
    <section className="section" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title" className="section-title">
        {t("passkeys.title")}
      </h2>
      <p className="muted small">{t("passkeys.lead")}</p>
      <StatusMessage>{message.status}</StatusMessage>
      <ErrorMessage>{message.error}</ErrorMessage>
      <StepUpPrompt stepUp={stepUp} />
      {!passkeys && !message.error && <Loading label={t("passkeys.loading")} />}
      {passkeys && passkeys.length > 0 && (
        <ul className="list">
          {passkeys.map((passkey) => (
            <PasskeyItem
              key={passkey.id}
              passkey={passkey}
              onRemove={remove}
              onRenamed={renamed}
              onError={fail}
            />
          ))}
        </ul>
      )}
      {passkeys?.length === 0 && <p className="muted small">{t("passkeys.none")}</p>}
      {supportsPasskeys() ? (
        <button
          className="button button-primary"
          type="button"
          aria-disabled={adding || undefined}
          onClick={() => void add()}
        >
          {t("passkeys.add")}
        </button>
      ) : (
        <p className="muted small">{t("passkeys.unsupported")}</p>
      )}
    </section>
  );
}
