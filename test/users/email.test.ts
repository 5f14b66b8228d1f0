import { describe, expect, it } from "vitest";
import { canonicalizeEmail } from "../../src/users/index.js";

/** Known vectors for the email policy (SECURITY.md 38, 39). */
describe("SECURITY 38, 39: canonicalizeEmail", () => {
  it.each([
    ["alice@example.com", "alice@example.com"],
    ["Alice@Example.COM", "alice@example.com"],
    ["  alice@example.com  ", "alice@example.com"],
    ["first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"],
    ["o'brien@example.com", "o'brien@example.com"],
    ["alice@straße.de", "alice@xn--strae-oqa.de"],
    ["alice@bücher.example", "alice@xn--bcher-kva.example"],
    ["alice@xn--bcher-kva.example", "alice@xn--bcher-kva.example"],
    ["alice@\u212Aelvin.com", "alice@kelvin.com"],
    [`${"a".repeat(64)}@example.com`, `${"a".repeat(64)}@example.com`],
  ])("accepts %j as %j", (input, canonical) => {
    expect(canonicalizeEmail(input)).toBe(canonical);
  });

  it.each([
    ["no at sign", "alice.example.com"],
    ["empty local part", "@example.com"],
    ["empty domain", "alice@"],
    ["two at signs", "alice@bob@example.com"],
    ["dotless i", "al\u0131ce@example.com"],
    ["dotted capital I", "AL\u0130CE@example.com"],
    ["sharp s", "stra\u00dfe@example.com"],
    ["Kelvin sign", "\u212Aelvin@example.com"],
    ["fullwidth at", "alice\uff20example.com"],
    ["path after the domain", "alice@evil.com/.example.com"],
    ["query after the domain", "alice@evil.com?x.example.com"],
    ["fragment after the domain", "alice@evil.com#.example.com"],
    ["percent-encoding in the domain", "alice@ex%61mple.com"],
    ["fullwidth domain letter, which IDNA would silently map", "alice@\uff45xample.com"],
    ["combining accent", "ali\u0301ce@example.com"],
    ["precomposed accent", "al\u00edce@example.com"],
    ["RTL override in the local part", "alice\u202e@example.com"],
    ["RTL override in the domain", "alice@exam\u202eple.com"],
    ["zero-width space in the local part", "al\u200bice@example.com"],
    ["CR LF header injection", "alice@example.com\r\nBcc: mallory@evil.example"],
    ["LF", "alice@example.com\nBcc: mallory@evil.example"],
    ["NUL", "alice@example.com\u0000"],
    ["tab", "ali\tce@example.com"],
    ["DEL", "alice\u007f@example.com"],
    ["comma list", "alice@example.com,mallory@evil.example"],
    ["comma list with space", "alice@example.com, mallory@evil.example"],
    ["semicolon list", "alice@example.com;mallory@evil.example"],
    ["display name", "Alice <alice@example.com>"],
    ["angle brackets", "<alice@example.com>"],
    ["comment", "alice(comment)@example.com"],
    ["quoted local part", '"alice"@example.com'],
    ["quoted local part with at", '"alice@evil"@example.com'],
    ["IP literal", "alice@[127.0.0.1]"],
    ["IPv6 literal", "alice@[IPv6:::1]"],
    ["single-label domain", "alice@localhost"],
    ["numeric top-level domain", "alice@127.0.0.1"],
    ["leading dot", ".alice@example.com"],
    ["trailing dot", "alice.@example.com"],
    ["double dot", "al..ice@example.com"],
    ["domain trailing dot", "alice@example.com."],
    ["domain hyphen edge", "alice@-example.com"],
    ["space inside", "ali ce@example.com"],
    ["backslash", "ali\\ce@example.com"],
    ["local part over 64", `${"a".repeat(65)}@example.com`],
    ["address over 254", `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.com`],
  ])("refuses %s", (_kind, input) => {
    expect(canonicalizeEmail(input)).toBeUndefined();
  });

  it("keeps an address of exactly 254 characters", () => {
    const address = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`;
    expect(address).toHaveLength(254);
    expect(canonicalizeEmail(address)).toBe(address);
  });

  it("is idempotent and returns only ASCII", () => {
    for (const input of ["Alice@Example.COM", "alice@straße.de", "alice@\u212Aelvin.com"]) {
      const canonical = canonicalizeEmail(input)!;
      expect(canonicalizeEmail(canonical)).toBe(canonical);
      expect(canonical).toMatch(/^[\x21-\x7e]+$/);
    }
  });
});
