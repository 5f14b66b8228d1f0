import { describe, expect, it } from "vitest";
import {
  constantTimeEqual,
  createKeyring,
  decrypt,
  deriveKey,
  encrypt,
  keyedHash,
  randomBuffer,
  randomDigits,
  randomId,
  randomToken,
} from "../../src/security/crypto.js";
import { TEST_SECRET_KEY } from "../support/harness.js";

/** The few primitives every secret goes through, checked against known vectors (SECURITY.md 1, 8, 33). */
describe("security primitives", () => {
  it("SECURITY 8: keyedHash is HMAC-SHA-256 (RFC 4231 test case 2)", () => {
    const digest = keyedHash(Buffer.from("Jefe"), "what do ya want for nothing?");
    expect(Buffer.from(digest, "base64url").toString("hex")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("SECURITY 8: every purpose gets its own 32-byte key from SECRET_KEY", () => {
    const keyring = createKeyring(TEST_SECRET_KEY);
    const keys = Object.values(keyring).map((key) => key.toString("hex"));
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of Object.values(keyring)) expect(key).toHaveLength(32);
    expect(deriveKey(TEST_SECRET_KEY, "challenge-code").equals(keyring.codeKey)).toBe(true);
    expect(deriveKey(`${TEST_SECRET_KEY}x`, "challenge-code").equals(keyring.codeKey)).toBe(false);
  });

  it("SECURITY 33: constantTimeEqual answers like === for equal and unequal lengths", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });

  it("SECURITY 1: tokens and ids have the promised entropy and alphabet", () => {
    expect(Buffer.from(randomToken(32), "base64url")).toHaveLength(32);
    expect(randomToken(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const ids = new Set(Array.from({ length: 1000 }, () => randomId()));
    expect(ids.size).toBe(1000);
  });

  it("SECURITY 1: random draws stay distinct and non-zero across many refills of the pool", () => {
    const draws = Array.from({ length: 2000 }, (_, index) => randomBuffer(index % 2 === 0 ? 32 : 12));
    expect(new Set(draws.map((draw) => draw.toString("hex"))).size).toBe(draws.length);
    expect(draws.every((draw) => draw.some((byte) => byte !== 0))).toBe(true);
    const large = randomBuffer(10_000);
    expect(large).toHaveLength(10_000);
    expect(large.subarray(9_000).some((byte) => byte !== 0)).toBe(true);
  });

  it("SECURITY 1: a drawn value is a copy, unchanged by later draws", () => {
    const first = randomBuffer(32);
    const copy = Buffer.from(first);
    for (let index = 0; index < 300; index++) randomBuffer(32);
    expect(first.equals(copy)).toBe(true);
  });

  it("SECURITY 1: randomDigits covers every length from 6 to 8 with leading zeros possible", () => {
    for (const length of [6, 7, 8]) {
      const codes = Array.from({ length: 2000 }, () => randomDigits(length));
      expect(codes.every((code) => new RegExp(`^[0-9]{${length}}$`).test(code))).toBe(true);
      expect(codes.some((code) => code.startsWith("0"))).toBe(true);
    }
  });

  it("SECURITY 8: sealed outbox messages round-trip and detect tampering", () => {
    const key = createKeyring(TEST_SECRET_KEY).outboxKey;
    const sealed = encrypt(key, "code 042137");
    expect(sealed).not.toContain("042137");
    expect(decrypt(key, sealed)).toBe("code 042137");
    const [iv, body, tag] = sealed.split(".");
    const flipped = Buffer.from(body ?? "", "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => decrypt(key, [iv, flipped.toString("base64url"), tag].join("."))).toThrow();
  });
});
