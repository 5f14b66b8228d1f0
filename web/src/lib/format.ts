import { currentLocale, t } from "./i18n.js";

/** Accepts ISO 8601 strings, unix seconds or milliseconds. */
export function toDate(value: string | number | null | undefined): Date | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const date = typeof value === "number" ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function formatDate(value: string | number | null | undefined): string {
  const date = toDate(value);
  return date
    ? new Intl.DateTimeFormat(currentLocale(), { dateStyle: "long" }).format(date)
    : t("time.unknown");
}

export function formatDateTime(value: string | number | null | undefined): string {
  const date = toDate(value);
  return date
    ? new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium", timeStyle: "short" }).format(date)
    : t("time.unknown");
}

/** "14:05" or "2:05 PM", in the language shown. */
export function formatTime(value: string | number | null | undefined): string | undefined {
  const date = toDate(value);
  return date ? new Intl.DateTimeFormat(currentLocale(), { timeStyle: "short" }).format(date) : undefined;
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "just now", "5 minutes ago", "yesterday". */
export function formatRelative(value: string | number | null | undefined, nowMs = Date.now()): string {
  const date = toDate(value);
  if (!date) return t("time.unknown");
  const seconds = Math.round((date.getTime() - nowMs) / 1000);
  if (Math.abs(seconds) < 60) return t("time.justNow");
  const format = new Intl.RelativeTimeFormat(currentLocale(), { numeric: "auto" });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return t("time.justNow");
}

/** "0:27" */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}
