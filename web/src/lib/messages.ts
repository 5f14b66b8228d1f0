import { isApiError } from "./api-error.js";
import { i18n, t } from "./i18n.js";

/** One sentence per error code (catalogue `errors.codes`), written for the person at the keyboard. */
export function messageFor(code: string): string {
  const key = `errors.codes.${code}`;
  return i18n.exists(key) ? t(key) : t("errors.fallback");
}

/** "45 seconds", "1 minute", "3 minutes". */
export function formatWait(seconds: number): string {
  if (seconds < 60) return t("errors.seconds", { count: seconds });
  return t("errors.minutes", { count: Math.ceil(seconds / 60) });
}

/** The full sentence for an error, with what the server told us (attempts left, wait). */
export function describeError(error: unknown): string {
  if (!isApiError(error)) return t("errors.fallback");
  const remaining = error.extra.attempts_remaining;
  if (error.code === "invalid_code" && typeof remaining === "number") {
    if (remaining <= 0) return messageFor("too_many_attempts");
    return t("errors.attemptsLeft", { count: remaining });
  }
  if (error.code === "rate_limited" && error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0) {
    return t("errors.waitAndRetry", { wait: formatWait(error.retryAfterSeconds) });
  }
  return messageFor(error.code);
}
