import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { AssertionRefused, checkNotFramed, parseClientData, signatureCheckFor } from "./assertion.js";

/** WebAuthn allows credential ids from 16 bytes (of entropy) up to 1023 bytes. */
const MIN_CREDENTIAL_ID_BYTES = 16;

/**
 * The registration checks SimpleWebAuthn's `verifyRegistrationResponse` leaves to us: the
 * ceremony was not made in a frame (as a sign-in, §7.1 steps 9–10), the response names
 * the credential it attests, the id is long enough, and node:crypto can use the key — so a
 * passkey that could never sign in (a point off its curve, a 512-bit RSA key) is refused
 * now instead of stored. Throws `AssertionRefused`.
 */
export async function checkNewCredential(
  response: RegistrationResponseJSON,
  credential: { id: string; publicKey: Uint8Array<ArrayBuffer> },
): Promise<void> {
  checkNotFramed(parseClientData(Buffer.from(response.response.clientDataJSON, "base64url")));
  if (response.id !== response.rawId || response.id !== credential.id) {
    throw new AssertionRefused("the response names another credential than it attests");
  }
  if (Buffer.from(credential.id, "base64url").length < MIN_CREDENTIAL_ID_BYTES) {
    throw new AssertionRefused("credential id shorter than 16 bytes");
  }
  try {
    await signatureCheckFor(credential.publicKey);
  } catch (error) {
    throw new AssertionRefused(`unusable public key: ${(error as Error).message}`);
  }
}
