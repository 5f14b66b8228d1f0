import { createHmac } from "node:crypto";
import { constantTimeEqualBytes, keyedHash, randomBuffer } from "../security/crypto.js";

export type CeremonyPurpose = "register" | "sign_in" | "step_up";

/**
 * A WebAuthn challenge that carries its own ceremony: purpose, expiry and 256 random bits,
 * sealed with a MAC over them, the browser's binding and (registration, step-up) the session.
 * Asking for options therefore writes nothing: only a challenge that is used is stored (as a
 * keyed hash, see challenge-store.ts), which is what makes it single-use.
 *
 *   version (1) | purpose (1) | expires at, ms (8) | nonce (32) | tag (32)   → 99 base64url characters
 */
const VERSION = 1;
const NONCE_BYTES = 32;
const TAG_BYTES = 32;
const SEALED_BYTES = 1 + 1 + 8 + NONCE_BYTES;
const CHALLENGE_BYTES = SEALED_BYTES + TAG_BYTES;
const PURPOSE_CODES: readonly CeremonyPurpose[] = ["register", "sign_in", "step_up"];

export interface OpenCeremony {
  /** The challenge as the browser signed it (base64url). */
  challenge: string;
  purpose: CeremonyPurpose;
  expiresAt: number;
  /** The session a registration or step-up was asked for in; null for a sign-in. */
  sessionId: string | null;
}

export function createCeremonyChallenges(ceremonyKey: Buffer) {
  const tagKey = Buffer.from(keyedHash(ceremonyKey, "latchkey/webauthn-challenge-tag/v1"), "base64url");

  function tagOf(sealed: Uint8Array, binding: string, sessionId: string | null): Buffer {
    return createHmac("sha256", tagKey)
      .update(sealed)
      .update(`\0${binding}\0${sessionId ?? ""}`)
      .digest();
  }

  /** A fresh challenge for a ceremony asked for by the browser holding `binding`. */
  function mint(ceremony: {
    purpose: CeremonyPurpose;
    expiresAt: number;
    binding: string;
    sessionId: string | null;
  }): string {
    const sealed = Buffer.alloc(SEALED_BYTES);
    sealed.writeUInt8(VERSION, 0);
    sealed.writeUInt8(PURPOSE_CODES.indexOf(ceremony.purpose), 1);
    sealed.writeBigUInt64BE(BigInt(ceremony.expiresAt), 2);
    randomBuffer(NONCE_BYTES).copy(sealed, 10);
    return Buffer.concat([sealed, tagOf(sealed, ceremony.binding, ceremony.sessionId)]).toString("base64url");
  }

  /**
   * The ceremony of a challenge this server minted for this browser (and session), still
   * open at `now` and of one of `purposes`; undefined for anything else. Whether it was
   * already used is the store's question.
   */
  function open(
    challenge: string,
    expected: { binding: string; sessionId: string | null; purposes: CeremonyPurpose[]; now: number },
  ): OpenCeremony | undefined {
    const bytes = Buffer.from(challenge, "base64url");
    if (bytes.length !== CHALLENGE_BYTES || bytes.toString("base64url") !== challenge) return undefined;
    const sealed = bytes.subarray(0, SEALED_BYTES);
    const purpose = PURPOSE_CODES[sealed.readUInt8(1)];
    const sessionId = purpose === "sign_in" ? null : expected.sessionId;
    const tag = tagOf(sealed, expected.binding, sessionId);
    if (!constantTimeEqualBytes(bytes.subarray(SEALED_BYTES), tag)) return undefined;
    const expiresAt = Number(sealed.readBigUInt64BE(2));
    if (sealed.readUInt8(0) !== VERSION || !purpose || !expected.purposes.includes(purpose)) return undefined;
    if (expiresAt <= expected.now) return undefined;
    return { challenge, purpose, expiresAt, sessionId };
  }

  return { mint, open };
}
