import { describe, expect, it } from "vitest";
import { negotiateLocale } from "../../src/i18n/negotiate.js";

const SUPPORTED = ["en", "de"];

describe("choosing the language", () => {
  it("takes the account's stored language over the browser's", () => {
    expect(negotiateLocale(SUPPORTED, "en-US,en;q=0.9", "de")).toBe("de");
  });

  it("ignores a stored language it does not have", () => {
    expect(negotiateLocale(SUPPORTED, "de-DE", "fr")).toBe("de");
  });

  it("matches a regional tag by its language", () => {
    expect(negotiateLocale(SUPPORTED, "de-AT")).toBe("de");
  });

  it("follows the browser's weights, not only its order", () => {
    expect(negotiateLocale(SUPPORTED, "fr;q=1, en;q=0.5, de;q=0.8")).toBe("de");
  });

  it("skips languages it does not have and those refused with q=0", () => {
    expect(negotiateLocale(SUPPORTED, "fr-FR, de;q=0, en;q=0.1")).toBe("en");
  });

  it("falls back to the first supported language for a missing or garbled header", () => {
    expect(negotiateLocale(SUPPORTED, undefined)).toBe("en");
    expect(negotiateLocale(SUPPORTED, ";;;,<script>,q=2")).toBe("en");
  });
});
