import { describe, expect, it } from "vitest";
import { authenticationResponse, registrationResponse } from "../../src/passkeys/schemas.js";

/** base64url of `bytes` bytes: the length a browser sends. */
const encoded = (bytes: number) => "A".repeat(Math.ceil((bytes * 4) / 3));

const credential = { id: encoded(32), rawId: encoded(32), type: "public-key" as const };

// Chromium on a runtime with ML-DSA (Node.js 24) picks it from SimpleWebAuthn's algorithm list.
describe("passkeys with post-quantum signatures", () => {
  it("an ML-DSA-87 assertion (4,627-byte signature) passes validation", () => {
    const parsed = authenticationResponse.safeParse({
      ...credential,
      response: { clientDataJSON: encoded(200), authenticatorData: encoded(37), signature: encoded(4627) },
    });
    expect(parsed.success).toBe(true);
  });

  it("an ML-DSA-87 registration (2,592-byte public key) passes validation", () => {
    const parsed = registrationResponse.safeParse({
      ...credential,
      response: {
        clientDataJSON: encoded(200),
        attestationObject: encoded(2800),
        authenticatorData: encoded(2700),
        publicKey: encoded(2614),
        publicKeyAlgorithm: -50,
      },
    });
    expect(parsed.success).toBe(true);
  });
});
