import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { describe, expect, it } from "vitest";
import { createSoftAuthenticator } from "../../bench/soft-authenticator.mjs";

const ORIGIN = "http://localhost:8000";
const RP_ID = "localhost";

async function registered() {
  const authenticator = createSoftAuthenticator({ origin: ORIGIN });
  const options = await generateRegistrationOptions({
    rpName: "Bench",
    rpID: RP_ID,
    userName: "ada@example.com",
    attestationType: "none",
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  const verification = await verifyRegistrationResponse({
    response: authenticator.register(options),
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
  });
  return { authenticator, options, verification };
}

async function signIn(authenticator, credential) {
  const options = await generateAuthenticationOptions({ rpID: RP_ID, userVerification: "preferred" });
  return verifyAuthenticationResponse({
    response: authenticator.authenticate(options),
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential,
  });
}

describe("the driver's software passkey", () => {
  it("registers with an ES256 key and none attestation that SimpleWebAuthn accepts", async () => {
    const { authenticator, verification } = await registered();
    expect(verification.verified).toBe(true);
    expect(verification.registrationInfo.fmt).toBe("none");
    expect(verification.registrationInfo.credential.id).toBe(authenticator.credentials[0].id);
    expect(verification.registrationInfo.userVerified).toBe(true);
  });

  it("signs assertions that verify against the registered public key, with a rising counter", async () => {
    const { authenticator, verification } = await registered();
    const { credential } = verification.registrationInfo;
    const first = await signIn(authenticator, credential);
    expect(first.verified).toBe(true);
    expect(first.authenticationInfo.newCounter).toBe(1);
    const second = await signIn(authenticator, { ...credential, counter: 1 });
    expect(second.authenticationInfo.newCounter).toBe(2);
  });

  it("makes assertions that fail against another passkey's public key", async () => {
    const mine = await registered();
    const other = await registered();
    const result = await signIn(mine.authenticator, other.verification.registrationInfo.credential);
    expect(result.verified).toBe(false);
  });
});
