import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { describe, expect, it } from "vitest";
import { encodeCbor } from "../../bench/soft-authenticator.mjs";
import { AssertionRefused, type ExpectedAssertion, verifyAssertion } from "../../src/passkeys/assertion.js";
import {
  FLAG_BACKED_UP,
  FLAG_BACKUP_ELIGIBLE,
  FLAG_EXTENSION_DATA,
  FLAG_USER_PRESENT,
  FLAG_USER_VERIFIED,
  sha256,
} from "../support/soft-authenticator.js";

// The assertion checks on their own, attack first: every field an attacker controls, bent once.

const ORIGIN = "https://login.example.com";
const RP_ID = "login.example.com";
const CHALLENGE = "Q2hhbGxlbmdlLW9mLXRoaXMtY2VyZW1vbnktMzItYnl0ZXM";
const expected: ExpectedAssertion = {
  challenge: CHALLENGE,
  origins: [ORIGIN],
  rpId: RP_ID,
  isBackupEligible: false,
};
const syncedExpected: ExpectedAssertion = { ...expected, isBackupEligible: true };

const UP = FLAG_USER_PRESENT;
const UV = FLAG_USER_VERIFIED;
const BE = FLAG_BACKUP_ELIGIBLE;
const BS = FLAG_BACKED_UP;
const ED = FLAG_EXTENSION_DATA;

const jwkBytes = (key: KeyObject, field: string) =>
  Buffer.from(key.export({ format: "jwk" })[field] as string, "base64url");

type Algorithm = "ES256" | "EdDSA" | "RS256" | "ES384";

function keyPair(algorithm: Algorithm) {
  if (algorithm === "EdDSA") return generateKeyPairSync("ed25519");
  if (algorithm === "RS256") return generateKeyPairSync("rsa", { modulusLength: 2048 });
  return generateKeyPairSync("ec", { namedCurve: algorithm === "ES256" ? "P-256" : "P-384" });
}

/** COSE labels and values of each algorithm's public key (RFC 9053). */
function coseEntries(algorithm: Algorithm, publicKey: KeyObject): [number, unknown][] {
  switch (algorithm) {
    case "ES256":
      return [
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, jwkBytes(publicKey, "x")],
        [-3, jwkBytes(publicKey, "y")],
      ];
    case "ES384":
      return [
        [1, 2],
        [3, -35],
        [-1, 2],
        [-2, jwkBytes(publicKey, "x")],
        [-3, jwkBytes(publicKey, "y")],
      ];
    case "EdDSA":
      return [
        [1, 1],
        [3, -8],
        [-1, 6],
        [-2, jwkBytes(publicKey, "x")],
      ];
    case "RS256":
      return [
        [1, 3],
        [3, -257],
        [-1, jwkBytes(publicKey, "n")],
        [-2, jwkBytes(publicKey, "e")],
      ];
  }
}

/** The stored form of a credential's public key: COSE, base64url; `kty` replaces its key type. */
function storedKey(algorithm: Algorithm, publicKey: KeyObject, kty?: number): string {
  const entries = coseEntries(algorithm, publicKey).map(([label, value]) =>
    label === 1 && kty ? [1, kty] : [label, value],
  );
  return encodeCbor(new Map(entries as [number, number][])).toString("base64url");
}

interface Bend {
  clientData?: Record<string, unknown>;
  clientDataJSON?: string;
  rpId?: string;
  flags?: number;
  counter?: number;
  trailing?: Buffer;
  signWith?: KeyObject;
  afterSigning?: (authData: Buffer) => Buffer;
  rawId?: string;
}

function passkey(algorithm: Algorithm = "ES256") {
  const { privateKey, publicKey } = keyPair(algorithm);
  const digest = algorithm === "EdDSA" ? null : algorithm === "ES384" ? "sha384" : "sha256";
  function assert(bend: Bend = {}): AuthenticationResponseJSON {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(bend.counter ?? 7);
    const authData = Buffer.concat([
      sha256(bend.rpId ?? RP_ID),
      Buffer.from([bend.flags ?? UP | UV]),
      counter,
      bend.trailing ?? Buffer.alloc(0),
    ]);
    const clientDataJSON = Buffer.from(
      bend.clientDataJSON ??
        JSON.stringify({
          type: "webauthn.get",
          challenge: CHALLENGE,
          origin: ORIGIN,
          crossOrigin: false,
          ...bend.clientData,
        }),
    );
    const signature = sign(
      digest,
      Buffer.concat([authData, sha256(clientDataJSON)]),
      bend.signWith ?? privateKey,
    );
    const id = "Y3JlZGVudGlhbC1pZC1vZi10aGUtcGFzc2tleQ";
    return {
      id,
      rawId: bend.rawId ?? id,
      type: "public-key",
      response: {
        clientDataJSON: clientDataJSON.toString("base64url"),
        authenticatorData: (bend.afterSigning ? bend.afterSigning(authData) : authData).toString("base64url"),
        signature: signature.toString("base64url"),
      },
      clientExtensionResults: {},
    };
  }
  return { assert, publicKey, stored: storedKey(algorithm, publicKey) };
}

const refusal = (promise: Promise<unknown>) => expect(promise).rejects.toBeInstanceOf(AssertionRefused);

describe("verifying a passkey assertion", () => {
  it("accepts a genuine ES256 assertion and reports its counter, user verification and backup state", async () => {
    const key = passkey("ES256");
    await expect(
      verifyAssertion(key.assert({ flags: UP | UV | BE | BS, counter: 42 }), syncedExpected, key.stored),
    ).resolves.toEqual({
      newCounter: 42,
      userVerified: true,
      credentialBackedUp: true,
    });
  });

  it("accepts an assertion without user verification and says so", async () => {
    const key = passkey("ES256");
    const info = await verifyAssertion(key.assert({ flags: UP }), expected, key.stored);
    expect(info.userVerified).toBe(false);
  });

  it("accepts an Ed25519 (EdDSA) passkey", async () => {
    const key = passkey("EdDSA");
    await expect(verifyAssertion(key.assert(), expected, key.stored)).resolves.toMatchObject({
      newCounter: 7,
    });
  });

  it("accepts an RS256 passkey (Windows Hello)", async () => {
    const key = passkey("RS256");
    await expect(verifyAssertion(key.assert(), expected, key.stored)).resolves.toMatchObject({
      newCounter: 7,
    });
  });

  it("verifies an algorithm node:crypto is not given here (ES384) through SimpleWebAuthn", async () => {
    const key = passkey("ES384");
    await expect(verifyAssertion(key.assert(), expected, key.stored)).resolves.toMatchObject({
      newCounter: 7,
    });
  });

  it("refuses an ES384 assertion signed by another key", async () => {
    const key = passkey("ES384");
    await refusal(
      verifyAssertion(key.assert({ signWith: keyPair("ES384").privateKey }), expected, key.stored),
    );
  });

  it.each(["ES256", "EdDSA", "RS256"] as const)(
    "refuses a %s assertion signed by another key",
    async (algorithm) => {
      const key = passkey(algorithm);
      await refusal(
        verifyAssertion(key.assert({ signWith: keyPair(algorithm).privateKey }), expected, key.stored),
      );
    },
  );

  it("refuses authenticator data changed after signing (a raised counter)", async () => {
    const key = passkey();
    const raiseCounter = (authData: Buffer) => {
      const changed = Buffer.from(authData);
      changed.writeUInt32BE(1_000_000, 33);
      return changed;
    };
    await refusal(verifyAssertion(key.assert({ afterSigning: raiseCounter }), expected, key.stored));
  });

  it("refuses a registration's client data (webauthn.create) presented as a sign-in", async () => {
    const key = passkey();
    await refusal(
      verifyAssertion(key.assert({ clientData: { type: "webauthn.create" } }), expected, key.stored),
    );
  });

  it("refuses an assertion over another challenge", async () => {
    const key = passkey();
    await refusal(
      verifyAssertion(key.assert({ clientData: { challenge: `${CHALLENGE}A` } }), expected, key.stored),
    );
  });

  it("refuses an assertion made on another origin", async () => {
    const key = passkey();
    await refusal(
      verifyAssertion(
        key.assert({ clientData: { origin: "https://login.example.com.evil.test" } }),
        expected,
        key.stored,
      ),
    );
  });

  it.each([true, "true", 1])(
    "refuses an assertion made inside a cross-origin frame (crossOrigin %j)",
    async (crossOrigin) => {
      const key = passkey();
      await refusal(verifyAssertion(key.assert({ clientData: { crossOrigin } }), expected, key.stored));
    },
  );

  it("refuses a topOrigin, which only a framed ceremony carries", async () => {
    const key = passkey();
    await refusal(
      verifyAssertion(key.assert({ clientData: { topOrigin: "https://evil.test" } }), expected, key.stored),
    );
  });

  it("refuses a malformed tokenBinding", async () => {
    const key = passkey();
    await refusal(
      verifyAssertion(
        key.assert({ clientData: { tokenBinding: { status: "bogus" } } }),
        expected,
        key.stored,
      ),
    );
  });

  it("refuses a tokenBinding that says present without its id", async () => {
    const key = passkey();
    await refusal(
      verifyAssertion(
        key.assert({ clientData: { tokenBinding: { status: "present" } } }),
        expected,
        key.stored,
      ),
    );
  });

  it("refuses client data that is not a JSON object", async () => {
    const key = passkey();
    await refusal(verifyAssertion(key.assert({ clientDataJSON: "null" }), expected, key.stored));
  });

  it("refuses an assertion for another RP id", async () => {
    const key = passkey();
    await refusal(verifyAssertion(key.assert({ rpId: "evil.test" }), expected, key.stored));
  });

  it("refuses an assertion without user presence", async () => {
    const key = passkey();
    await refusal(verifyAssertion(key.assert({ flags: UV }), expected, key.stored));
  });

  it("refuses 'backed up' from a passkey that is not backup eligible", async () => {
    const key = passkey();
    await refusal(verifyAssertion(key.assert({ flags: UP | BS }), expected, key.stored));
  });

  it("refuses a backup-eligible flag that differs from the stored passkey's", async () => {
    const key = passkey();
    await refusal(verifyAssertion(key.assert({ flags: UP | BE }), expected, key.stored));
    await refusal(verifyAssertion(key.assert({ flags: UP }), syncedExpected, key.stored));
  });

  it("accepts extension outputs in a CBOR map", async () => {
    const key = passkey();
    const emptyMap = Buffer.from([0xa0]);
    await expect(
      verifyAssertion(key.assert({ flags: UP | ED, trailing: emptyMap }), expected, key.stored),
    ).resolves.toMatchObject({ newCounter: 7 });
  });

  it("refuses extension outputs that are not a CBOR map", async () => {
    const key = passkey();
    const textString = Buffer.from([0x61, 0x78]);
    await refusal(
      verifyAssertion(key.assert({ flags: UP | ED, trailing: textString }), expected, key.stored),
    );
  });

  it("refuses bytes left over after the authenticator data", async () => {
    const key = passkey();
    await refusal(verifyAssertion(key.assert({ trailing: Buffer.from([0]) }), expected, key.stored));
  });

  it("refuses an id that is not its rawId", async () => {
    const key = passkey();
    await refusal(verifyAssertion(key.assert({ rawId: "b3RoZXItY3JlZGVudGlhbC1pZA" }), expected, key.stored));
  });

  it("refuses a stored key whose COSE key type does not match its algorithm", async () => {
    const { privateKey, publicKey } = keyPair("ES256");
    const key = passkey("ES256");
    const mismatched = storedKey("ES256", publicKey, 3);
    await refusal(verifyAssertion(key.assert({ signWith: privateKey }), expected, mismatched));
  });
});
