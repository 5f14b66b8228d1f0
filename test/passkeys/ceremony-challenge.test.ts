import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type CeremonyPurpose, createCeremonyChallenges } from "../../src/passkeys/ceremony-challenge.js";

const NOW = 1_800_000_000_000;
const challenges = createCeremonyChallenges(randomBytes(32));
const ceremony = {
  purpose: "step_up" as CeremonyPurpose,
  expiresAt: NOW + 300_000,
  binding: "binding-of-this-browser",
  sessionId: "session-a",
};
const expected = {
  binding: ceremony.binding,
  sessionId: ceremony.sessionId,
  purposes: ["sign_in", "step_up"] as CeremonyPurpose[],
  now: NOW,
};

/** The challenge with one byte changed. */
function withByte(challenge: string, index: number, change: (byte: number) => number): string {
  const bytes = Buffer.from(challenge, "base64url");
  bytes[index] = change(bytes[index] ?? 0);
  return bytes.toString("base64url");
}

describe("passkey ceremony challenges", () => {
  it("opens a challenge minted for this browser and session, with its purpose and expiry", () => {
    const challenge = challenges.mint(ceremony);
    expect(challenges.open(challenge, expected)).toEqual({
      challenge,
      purpose: "step_up",
      expiresAt: ceremony.expiresAt,
      sessionId: "session-a",
    });
  });

  it("carries 256 random bits: two challenges for one ceremony differ", () => {
    expect(challenges.mint(ceremony)).not.toBe(challenges.mint(ceremony));
  });

  it("fits the 128 characters the verify reads", () => {
    expect(challenges.mint(ceremony).length).toBeLessThanOrEqual(128);
  });

  it("refuses a challenge another browser asked for", () => {
    const challenge = challenges.mint(ceremony);
    expect(
      challenges.open(challenge, { ...expected, binding: "binding-of-another-browser" }),
    ).toBeUndefined();
  });

  it("refuses a registration or step-up challenge in another session, or with none", () => {
    const challenge = challenges.mint(ceremony);
    expect(challenges.open(challenge, { ...expected, sessionId: "session-b" })).toBeUndefined();
    expect(challenges.open(challenge, { ...expected, sessionId: null })).toBeUndefined();
  });

  it("opens a sign-in challenge whatever the session, since a sign-in has none yet", () => {
    const challenge = challenges.mint({ ...ceremony, purpose: "sign_in", sessionId: null });
    expect(challenges.open(challenge, { ...expected, sessionId: "session-b" })?.purpose).toBe("sign_in");
  });

  it("refuses a challenge of a purpose the verify does not take", () => {
    const challenge = challenges.mint({ ...ceremony, purpose: "register" });
    expect(challenges.open(challenge, expected)).toBeUndefined();
  });

  it("refuses a challenge at and after its expiry", () => {
    const challenge = challenges.mint(ceremony);
    expect(challenges.open(challenge, { ...expected, now: ceremony.expiresAt - 1 })).toBeDefined();
    expect(challenges.open(challenge, { ...expected, now: ceremony.expiresAt })).toBeUndefined();
  });

  it("refuses a challenge whose expiry was pushed back", () => {
    const challenge = challenges.mint({ ...ceremony, expiresAt: NOW - 1 });
    const extended = withByte(challenge, 4, (byte) => byte + 1);
    expect(challenges.open(extended, expected)).toBeUndefined();
  });

  it("refuses a challenge whose purpose was changed", () => {
    const challenge = challenges.mint({ ...ceremony, purpose: "register" });
    const asStepUp = withByte(challenge, 1, () => 2);
    expect(challenges.open(asStepUp, expected)).toBeUndefined();
  });

  it("refuses a challenge minted with another key", () => {
    const foreign = createCeremonyChallenges(randomBytes(32)).mint(ceremony);
    expect(challenges.open(foreign, expected)).toBeUndefined();
  });

  it("refuses truncated, padded and non-canonical encodings", () => {
    const challenge = challenges.mint(ceremony);
    expect(challenges.open(challenge.slice(0, -1), expected)).toBeUndefined();
    expect(challenges.open(`${challenge}A`, expected)).toBeUndefined();
    expect(challenges.open(`${challenge}=`, expected)).toBeUndefined();
    expect(challenges.open("", expected)).toBeUndefined();
  });
});
