import { afterEach, describe, expect, it } from "vitest";
import { formatMailTimes, timeWriterFor } from "../../src/mail/mail-times.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1);

/** Every hour of one day, the first and last minute of every month of a leap year and of the next, and a spread of odd minutes. */
const instants = [
  ...Array.from({ length: 24 }, (_, hour) => Date.UTC(2026, 5, 15, hour, 7)),
  ...Array.from({ length: 24 }, (_, month) => Date.UTC(2028, month, 1, 0, 0)),
  ...Array.from({ length: 24 }, (_, month) => Date.UTC(2028, month + 1, 0, 23, 59)),
  ...Array.from({ length: 400 }, (_, index) => START + index * (DAY + 97 * 60_000)),
];

describe.each(["en", "de"])("times in %s in UTC", (locale) => {
  const writer = timeWriterFor(locale, "UTC");
  // "Etc/UTC" is UTC under another name, so it goes through the Intl formatters the server uses for other zones.
  const intl = timeWriterFor(locale, "Etc/UTC");

  it("read exactly as Intl writes the clock time", () => {
    for (const at of instants) expect(writer.time(at)).toBe(intl.time(at));
  });

  it("read exactly as Intl writes the date and time", () => {
    for (const at of instants) expect(writer.dateTime(at)).toBe(intl.dateTime(at));
  });

  it("read exactly as Intl writes a duration in minutes, thousands grouped", () => {
    for (let minutes = 1; minutes <= 20_000; minutes += minutes < 100 ? 1 : 37) {
      expect(writer.inMinutes(minutes)).toBe(intl.inMinutes(minutes));
    }
  });
});

describe("a mail's times", () => {
  const RealDateTimeFormat = Intl.DateTimeFormat;
  const RealRelativeTimeFormat = Intl.RelativeTimeFormat;
  afterEach(() => {
    Object.assign(Intl, { DateTimeFormat: RealDateTimeFormat, RelativeTimeFormat: RealRelativeTimeFormat });
  });

  it("in English or German in UTC build no Intl formatter, so the server never maps ICU's data", () => {
    const refuse = () => {
      throw new Error("an Intl formatter was built");
    };
    Object.assign(Intl, { DateTimeFormat: refuse, RelativeTimeFormat: refuse });
    const requestedAt = Date.UTC(2026, 10, 29, 14, 32);
    const facts = { requestedAt, expiresAt: requestedAt + 10 * 60_000 };
    expect(formatMailTimes("UTC", { ...facts, locale: "en" }).requested_at).toBe("Nov 29, 2026, 2:32 PM UTC");
    expect(formatMailTimes("UTC", { ...facts, locale: "de" }).expires_in).toBe("in 10 Minuten");
  });

  it("in another zone are Intl's, with that zone's name", () => {
    const requestedAt = Date.UTC(2026, 0, 15, 14, 32);
    const times = formatMailTimes("Europe/Berlin", {
      locale: "de",
      requestedAt,
      expiresAt: requestedAt + 5 * 60_000,
    });
    expect(times).toEqual({
      requested_time: "15:32 MEZ",
      requested_at: "15.01.2026, 15:32 MEZ",
      expires_at: "15:37 MEZ",
      expires_in: "in 5 Minuten",
    });
  });

  it("in a language added by the operator are Intl's, even in UTC", () => {
    const requestedAt = Date.UTC(2026, 0, 15, 14, 32);
    const times = formatMailTimes("UTC", { locale: "fr", requestedAt, expiresAt: requestedAt + 5 * 60_000 });
    expect(times.expires_in).toBe("dans 5 minutes");
    expect(times.requested_time).toBe("14:32 UTC");
  });
});
