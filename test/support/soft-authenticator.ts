import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { type Cbor, coseKey, encodeCbor } from "../../bench/soft-authenticator.mjs";

/**
 * A software WebAuthn authenticator on node:crypto, for HTTP tests and benchmarks: ES256
 * keys, `none` attestation, discoverable credentials. It builds the same bytes a browser
 * and a platform authenticator would (authenticatorData, clientDataJSON, CBOR), so the
 * server's real verification runs, and every field can be bent to play an attacker.
 */

type Json = Record<string, unknown>;

/** authenticatorData's flag bits (WebAuthn §6.1). */
export const FLAG_USER_PRESENT = 0x01;
export const FLAG_USER_VERIFIED = 0x04;
export const FLAG_BACKUP_ELIGIBLE = 0x08;
export const FLAG_BACKED_UP = 0x10;
const FLAG_ATTESTED_DATA = 0x40;
export const FLAG_EXTENSION_DATA = 0x80;

export const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest();
const b64url = (data: Buffer | Uint8Array) => Buffer.from(data).toString("base64url");

export interface SoftCredential {
  id: string;
  rpId: string;
  /** base64url user handle the relying party chose. */
  userHandle: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  signCount: number;
}

export interface SoftAuthenticatorOptions {
  /** The page's origin, written into clientDataJSON. */
  origin: string;
  /** A synced passkey (backup eligible and backed up) rather than a device-bound one. */
  isSynced?: boolean;
  isUserVerifying?: boolean;
  /** Synced passkeys often never count: every assertion then reports 0. */
  counter?: "increment" | "zero";
  aaguid?: string;
}

/** What an attacker (or a test) may bend in one ceremony. */
export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  challenge?: string;
  signCount?: number;
  credentialId?: string;
  /** Register even if the server listed this authenticator's credential in excludeCredentials. */
  ignoreExclusions?: boolean;
  /** Attest these COSE key bytes instead of the new key's (a broken or weak key). */
  attestedKey?: Buffer;
  /** Fields added to clientDataJSON, e.g. `{crossOrigin: true}` for a ceremony in a frame. */
  clientDataExtras?: Json;
}

export class InvalidStateError extends Error {
  override name = "InvalidStateError";
}

function aaguidBytes(aaguid: string): Buffer {
  return Buffer.from(aaguid.replace(/-/g, ""), "hex");
}

export function createSoftAuthenticator(settings: SoftAuthenticatorOptions) {
  const credentials: SoftCredential[] = [];
  const aaguid = settings.aaguid ?? "00000000-0000-0000-0000-000000000000";

  function flags(extra: number): number {
    let value = FLAG_USER_PRESENT | extra;
    if (settings.isUserVerifying !== false) value |= FLAG_USER_VERIFIED;
    if (settings.isSynced) value |= FLAG_BACKUP_ELIGIBLE | FLAG_BACKED_UP;
    return value;
  }

  /** clientDataJSON for the server's challenge, unless the test bends the challenge or origin. */
  function clientData(type: string, options: Json, overrides: CeremonyOverrides): Buffer {
    const challenge = overrides.challenge ?? (options.challenge as string);
    const origin = overrides.origin ?? settings.origin;
    return Buffer.from(
      JSON.stringify({ type, challenge, origin, crossOrigin: false, ...overrides.clientDataExtras }),
    );
  }

  function authenticatorData(rpId: string, flagBits: number, signCount: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(signCount >>> 0);
    return Buffer.concat([sha256(rpId), Buffer.from([flagBits]), count, ...(attested ? [attested] : [])]);
  }

  /** `navigator.credentials.create()` for the JSON options a server sent. */
  function register(options: Json, overrides: CeremonyOverrides = {}): Json {
    const rp = options.rp as { id?: string };
    const user = options.user as { id: string };
    const rpId = overrides.rpId ?? rp.id ?? new URL(settings.origin).hostname;
    const excluded = ((options.excludeCredentials as { id: string }[] | undefined) ?? []).map(
      (entry) => entry.id,
    );
    if (!overrides.ignoreExclusions && credentials.some((credential) => excluded.includes(credential.id))) {
      throw new InvalidStateError("The authenticator already holds a credential for this account");
    }
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const idBytes = overrides.credentialId
      ? Buffer.from(overrides.credentialId, "base64url")
      : randomBytes(32);
    const credential: SoftCredential = {
      id: b64url(idBytes),
      rpId,
      userHandle: user.id,
      privateKey,
      publicKey,
      signCount: 0,
    };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(idBytes.length);
    const attestedKey = overrides.attestedKey ?? coseKey(publicKey);
    const attested = Buffer.concat([aaguidBytes(aaguid), idLength, idBytes, attestedKey]);
    const authData = authenticatorData(rpId, flags(FLAG_ATTESTED_DATA), 0, attested);
    const attestationObject = encodeCbor(
      new Map<Cbor, Cbor>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    const clientDataJSON = clientData("webauthn.create", options, overrides);
    credentials.push(credential);
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  /** `navigator.credentials.get()`: signs with the newest credential for the RP (or the one asked for). */
  function authenticate(options: Json, overrides: CeremonyOverrides = {}): Json {
    const rpId = overrides.rpId ?? (options.rpId as string | undefined) ?? new URL(settings.origin).hostname;
    const allowed = ((options.allowCredentials as { id: string }[] | undefined) ?? []).map(
      (entry) => entry.id,
    );
    const credential = [...credentials]
      .reverse()
      .find(
        (candidate) =>
          (overrides.credentialId ? candidate.id === overrides.credentialId : true) &&
          (allowed.length === 0 || allowed.includes(candidate.id)),
      );
    if (!credential) throw new Error("The authenticator holds no matching credential");
    if (settings.counter !== "zero") credential.signCount += 1;
    const signCount = overrides.signCount ?? (settings.counter === "zero" ? 0 : credential.signCount);
    const authData = authenticatorData(rpId, flags(0), signCount);
    const clientDataJSON = clientData("webauthn.get", options, overrides);
    const signature = sign(
      "sha256",
      Buffer.concat([authData, sha256(clientDataJSON)]),
      credential.privateKey,
    );
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  return { register, authenticate, credentials };
}

export type SoftAuthenticator = ReturnType<typeof createSoftAuthenticator>;
