/** The times a mail shows: when it was asked for, when its code or link expires, and in how long. */
interface MailTimes {
  requested_time: string;
  requested_at: string;
  expires_at: string;
  expires_in: string;
}

interface MailFacts {
  locale: string;
  requestedAt: number;
  expiresAt: number;
}

/** How one language writes times in one zone. */
export interface TimeWriter {
  /** "4:39 PM UTC" */
  time(at: number): string;
  /** "Dec 2, 2026, 4:39 PM" */
  dateTime(at: number): string;
  /** "UTC", "CET" */
  zoneName(at: number): string;
  /** "in 10 minutes" */
  inMinutes(minutes: number): string;
}

/** Intl's formatters: every language and zone. Building them costs far more than using them, so once per pair. */
function intlWriter(locale: string, timeZone: string): TimeWriter {
  const time = new Intl.DateTimeFormat(locale, {
    hour: "numeric",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: "always" });
  return {
    time: (at) => time.format(at),
    dateTime: (at) => dateTime.format(at),
    zoneName: (at) => time.formatToParts(at).find((part) => part.type === "timeZoneName")?.value ?? "",
    inMinutes: (minutes) => relative.format(minutes, "minute"),
  };
}

const ENGLISH_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const twoDigits = (value: number) => String(value).padStart(2, "0");

/** 1440 → "1,440" (English) or "1.440" (German), as Intl groups a count of minutes. */
function groupThousands(value: number, separator: string): string {
  return String(value).replace(/\B(?=(\d{3})+$)/g, separator);
}

function englishClock(date: Date): string {
  const hour = date.getUTCHours();
  return `${hour % 12 || 12}:${twoDigits(date.getUTCMinutes())} ${hour < 12 ? "AM" : "PM"}`;
}

const englishInUtc: TimeWriter = {
  time: (at) => `${englishClock(new Date(at))} UTC`,
  dateTime: (at) => {
    const date = new Date(at);
    return `${ENGLISH_MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${englishClock(date)}`;
  },
  zoneName: () => "UTC",
  inMinutes: (minutes) => `in ${groupThousands(minutes, ",")} ${minutes === 1 ? "minute" : "minutes"}`,
};

const germanClock = (date: Date) => `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}`;

const germanInUtc: TimeWriter = {
  time: (at) => `${germanClock(new Date(at))} UTC`,
  dateTime: (at) => {
    const date = new Date(at);
    return `${twoDigits(date.getUTCDate())}.${twoDigits(date.getUTCMonth() + 1)}.${date.getUTCFullYear()}, ${germanClock(date)}`;
  },
  zoneName: () => "UTC",
  inMinutes: (minutes) => `in ${groupThousands(minutes, ".")} ${minutes === 1 ? "Minute" : "Minuten"}`,
};

/**
 * The first Intl formatter a process builds maps about 6 MB of ICU's data for the rest of its
 * life (docs/performance.md, "Memory"). English and German in UTC, the default, are written
 * here instead, character for character as Intl writes them (test/mail/mail-times.test.ts
 * compares the two), so a server on its defaults never maps that data.
 */
const WRITTEN_BY_HAND: Record<string, TimeWriter> = { en: englishInUtc, de: germanInUtc };

export function timeWriterFor(locale: string, timeZone: string): TimeWriter {
  return (timeZone === "UTC" && WRITTEN_BY_HAND[locale]) || intlWriter(locale, timeZone);
}

interface CachedWriter {
  writer: TimeWriter;
  last: { key: string; times: MailTimes } | undefined;
}

/** One writer per language and zone; each keeps its last answer for the minute it was asked about (every format shows whole minutes), so a burst of mails formats once. */
const writers = new Map<string, CachedWriter>();

function cachedWriterFor(locale: string, timeZone: string): CachedWriter {
  const key = `${locale}|${timeZone}`;
  let found = writers.get(key);
  if (!found) {
    found = { writer: timeWriterFor(locale, timeZone), last: undefined };
    writers.set(key, found);
  }
  return found;
}

function writeTimes(writer: TimeWriter, { requestedAt, expiresAt }: MailFacts, minutes: number): MailTimes {
  return {
    requested_time: writer.time(requestedAt),
    requested_at: `${writer.dateTime(requestedAt)} ${writer.zoneName(requestedAt)}`.trim(),
    expires_at: writer.time(expiresAt),
    expires_in: writer.inMinutes(minutes),
  };
}

export function formatMailTimes(timeZone: string, facts: MailFacts): MailTimes {
  const cached = cachedWriterFor(facts.locale, timeZone);
  const minutes = Math.max(1, Math.round((facts.expiresAt - facts.requestedAt) / 60_000));
  const key = `${Math.floor(facts.requestedAt / 60_000)}|${Math.floor(facts.expiresAt / 60_000)}|${minutes}`;
  if (cached.last?.key !== key) cached.last = { key, times: writeTimes(cached.writer, facts, minutes) };
  return cached.last.times;
}
