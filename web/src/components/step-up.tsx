import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../lib/api.js";
import { isApiError } from "../lib/api-error.js";
import { describePasskeyError, signInWithPasskey, supportsPasskeys } from "../lib/passkeys.js";
import { navigate } from "../lib/router.js";
import { paths } from "../lib/routes.js";
import { ErrorMessage } from "./messages.js";

/**
 * Removing a passkey or signing out everywhere needs a recent sign-in. `guard(action)` runs
 * the action; on 403 `step_up_required` it remembers it, and <StepUpPrompt> asks the person
 * to confirm with a passkey (then runs the action again) or with a fresh email code.
 */
export function useStepUp() {
  const [pending, setPending] = useState<(() => Promise<void>) | null>(null);

  const guard = useCallback(async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      if (isApiError(error) && error.code === "step_up_required") setPending(() => action);
      else throw error;
    }
  }, []);

  return { pending, guard, clear: () => setPending(null) };
}

export function StepUpPrompt({ stepUp }: { stepUp: ReturnType<typeof useStepUp> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const { pending } = stepUp;
  if (!pending) return null;

  const withPasskey = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await signInWithPasskey({ stepUp: true });
      stepUp.clear();
      await pending();
    } catch (cause) {
      setError(describePasskeyError(cause));
    } finally {
      setBusy(false);
    }
  };

  // A fresh email sign-in is the other proof: sign out here, sign in again, come back.
  const withEmail = async () => {
    await api.logout().catch(() => {});
    navigate(`${paths.signIn}?next=${encodeURIComponent(paths.dashboard)}`, {
      replace: true,
      notice: t("signIn.stepUpNotice"),
    });
  };

  return (
    <fieldset className="step-up">
      <legend className="list-title">{t("stepUp.title")}</legend>
      <p className="muted small">{t("stepUp.lead")}</p>
      <ErrorMessage>{error}</ErrorMessage>
      <div className="row">
        {supportsPasskeys() && (
          <button
            className="button button-primary button-small"
            type="button"
            aria-disabled={busy || undefined}
            onClick={() => void withPasskey()}
          >
            {busy ? t("stepUp.waiting") : t("stepUp.passkey")}
          </button>
        )}
        <button
          className="button button-secondary button-small"
          type="button"
          onClick={() => void withEmail()}
        >
          {t("stepUp.email")}
        </button>
        <button className="button button-link button-small" type="button" onClick={stepUp.clear}>
          {t("stepUp.cancel")}
        </button>
      </div>
    </fieldset>
  );
}
