import { createHash, createPublicKey, type JsonWebKey, type KeyObject, verify } from "node:crypto";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { importOnFirstUse } from "../load-on-first-use.js";

/**
 * Verifies a passkey sign-in's assertion (WebAuthn Level 3 §7.2, steps 11–21) with node:crypto,
 * synchronously, against a public key converted once per credential. SimpleWebAuthn's
 * `verifyAuthenticationResponse` made the same checks through WebCrypto: it imported the key on
 * every sign-in and ran the digests, the import and the verification as asynchronous jobs, about
 * 800 µs of CPU against about 100 µs here (docs/performance.md). SimpleWebAuthn still parses the
 * authenticator data, decodes the COSE key, and verifies the algorithms node:crypto is not given
 * here (ML-DSA and the rarer ones).
 */

/** SimpleWebAuthn's parsing helpers are loaded with the first ceremony, like the library itself. */
const helpers = importOnFirstUse(() => import("@simplewebauthn/server/helpers"));

export class AssertionRefused extends Error {}

export interface ExpectedAssertion {
  /** The base64url challenge of the ceremony this assertion closes. */
  challenge: string;
  origins: readonly string[];
  rpId: string;
  /** The stored credential's backup eligibility, which its BE flag must repeat (§7.2 step 17). */
  isBackupEligible: boolean;
}

export interface VerifiedAssertion {
  newCounter: number;
  userVerified: boolean;
  credentialBackedUp: boolean;
}

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_BACKUP_ELIGIBLE = 0x08;
const FLAG_BACKED_UP = 0x10;
const TOKEN_BINDING_STATUSES = new Set(["present", "supported", "notSupported"]);

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest();

function refuse(reason: string): never {
  throw new AssertionRefused(reason);
}

/** The client data's fields; refuses anything but a JSON object. */
export function parseClientData(clientDataJSON: Buffer): Record<string, unknown> {
  let clientData: unknown;
  try {
    clientData = JSON.parse(clientDataJSON.toString("utf8"));
  } catch {
    refuse("clientDataJSON is not JSON");
  }
  if (typeof clientData !== "object" || clientData === null) refuse("clientDataJSON is not an object");
  return clientData as Record<string, unknown>;
}

/**
 * Made in our page, not in a frame (our pages refuse to be framed, so a cross-origin
 * ceremony is someone else's page), with a well-formed token binding if any.
 */
export function checkNotFramed({ crossOrigin, topOrigin, tokenBinding }: Record<string, unknown>) {
  if ((crossOrigin !== undefined && crossOrigin !== false) || topOrigin !== undefined) {
    refuse("made in a cross-origin frame");
  }
  if (tokenBinding !== undefined) checkTokenBinding(tokenBinding);
}

/** Steps 11–14: a `webauthn.get` over our challenge, from one of our origins, not from a frame. */
function checkClientData(clientDataJSON: Buffer, expected: ExpectedAssertion) {
  const clientData = parseClientData(clientDataJSON);
  const { type, challenge, origin } = clientData;
  if (type !== "webauthn.get") refuse(`unexpected type ${String(type)}`);
  if (challenge !== expected.challenge) refuse("another challenge");
  if (typeof origin !== "string" || !expected.origins.includes(origin)) refuse("another origin");
  checkNotFramed(clientData);
}

function checkTokenBinding(tokenBinding: unknown) {
  const { status, id } = (tokenBinding ?? {}) as { status?: unknown; id?: unknown };
  if (typeof status !== "string" || !TOKEN_BINDING_STATUSES.has(status)) refuse("malformed tokenBinding");
  if (status === "present" && typeof id !== "string") refuse("tokenBinding present without its id");
}

const CBOR_MAP = 5;

/** Steps 15–18: our RP id, the user present, the passkey's backup eligibility, extensions in a CBOR map. */
async function readAuthenticatorData(authData: Buffer, rpIdHash: Buffer, expected: ExpectedAssertion) {
  const { parseAuthenticatorData } = await helpers();
  let parsed: ReturnType<typeof parseAuthenticatorData>;
  try {
    // Also refuses extension data that is not CBOR, and bytes left over.
    parsed = parseAuthenticatorData(authData as Uint8Array<ArrayBuffer>);
  } catch (error) {
    refuse(`malformed authenticator data: ${(error as Error).message}`);
  }
  if (!rpIdHash.equals(Buffer.from(parsed.rpIdHash))) refuse("another RP id");
  const flags = parsed.flags.flagsInt;
  if (!(flags & FLAG_USER_PRESENT)) refuse("user not present");
  const isBackupEligible = (flags & FLAG_BACKUP_ELIGIBLE) !== 0;
  const credentialBackedUp = (flags & FLAG_BACKED_UP) !== 0;
  if (credentialBackedUp && !isBackupEligible) refuse("backed up but not backup eligible");
  if (isBackupEligible !== expected.isBackupEligible)
    refuse("backup eligibility differs from the stored passkey's");
  const extensions = parsed.extensionsDataBuffer;
  if (extensions && (extensions[0] ?? 0) >> 5 !== CBOR_MAP) refuse("extension outputs are not a CBOR map");
  return { newCounter: parsed.counter, userVerified: (flags & FLAG_USER_VERIFIED) !== 0, credentialBackedUp };
}

type SignatureCheck = (data: Buffer, signature: Buffer) => boolean | Promise<boolean>;

const COSE_KTY = 1;
const COSE_ALG = 3;
const COSE_CRV_OR_N = -1;
const COSE_X_OR_E = -2;
const COSE_Y = -3;

/** The COSE algorithms node:crypto verifies here, and how each reads its key as a JWK. */
const NODE_ALGORITHMS: Record<
  number,
  { kty: number; jwk: (cose: Map<number, unknown>) => JsonWebKey; digest: string | null; dsaEncoding?: "der" }
> = {
  // ES256 on P-256 (crv 1); WebAuthn signatures are DER.
  [-7]: {
    kty: 2,
    jwk: (cose) => {
      if (cose.get(COSE_CRV_OR_N) !== 1) refuse("ES256 on another curve");
      return {
        kty: "EC",
        crv: "P-256",
        x: coordinate(cose.get(COSE_X_OR_E)),
        y: coordinate(cose.get(COSE_Y)),
      };
    },
    digest: "sha256",
    dsaEncoding: "der",
  },
  // EdDSA on Ed25519 (crv 6).
  [-8]: {
    kty: 1,
    jwk: (cose) => {
      if (cose.get(COSE_CRV_OR_N) !== 6) refuse("EdDSA on another curve");
      return { kty: "OKP", crv: "Ed25519", x: coordinate(cose.get(COSE_X_OR_E)) };
    },
    digest: null,
  },
  // RS256: RSASSA-PKCS1-v1_5 with SHA-256 (Windows Hello).
  [-257]: {
    kty: 3,
    jwk: (cose) => {
      const modulus = cose.get(COSE_CRV_OR_N);
      const exponent = cose.get(COSE_X_OR_E);
      if (!(modulus instanceof Uint8Array) || significantBytes(modulus) < MIN_RSA_MODULUS_BYTES) {
        refuse("RSA key shorter than 2048 bits");
      }
      if (!(exponent instanceof Uint8Array) || !isUsableRsaExponent(exponent))
        refuse("unusable RSA exponent");
      return { kty: "RSA", n: base64url(modulus), e: base64url(exponent) };
    },
    digest: "sha256",
  },
};

const MIN_RSA_MODULUS_BYTES = 256;

/** The length of a big-endian unsigned number without its leading zero bytes. */
function significantBytes(bytes: Uint8Array): number {
  const first = bytes.findIndex((byte) => byte !== 0);
  return first === -1 ? 0 : bytes.length - first;
}

/** Odd, at least 3, at most 4 bytes (65537 in practice). */
function isUsableRsaExponent(exponent: Uint8Array): boolean {
  if (exponent.length === 0 || exponent.length > 4 || exponent[0] === 0) return false;
  const value = exponent.reduce((total, byte) => total * 256 + byte, 0);
  return value >= 3 && value % 2 === 1;
}

/**
 * A P-256 coordinate or an Ed25519 key: exactly 32 bytes, leading zeros kept (RFC 9053 §7.1.1).
 * A shorter one would otherwise be read as the same number when its dropped bytes were zero.
 */
function coordinate(value: unknown): string {
  if (!(value instanceof Uint8Array) || value.length !== 32) refuse("a key coordinate is not 32 bytes");
  return base64url(value);
}

function base64url(value: unknown): string {
  if (!(value instanceof Uint8Array) || value.length === 0) refuse("malformed COSE key");
  return Buffer.from(value).toString("base64url");
}

/**
 * How signatures by this COSE public key are checked. Throws when node:crypto's algorithms
 * get a key they cannot use (off the curve, too short, a mismatched type).
 */
export async function signatureCheckFor(publicKey: Uint8Array<ArrayBuffer>): Promise<SignatureCheck> {
  const { decodeCredentialPublicKey, verifySignature } = await helpers();
  const cose = decodeCredentialPublicKey(publicKey) as unknown as Map<number, unknown>;
  const algorithm = NODE_ALGORITHMS[cose.get(COSE_ALG) as number];
  if (!algorithm) {
    return (data, signature) =>
      verifySignature({
        signature: signature as Uint8Array<ArrayBuffer>,
        data: data as Uint8Array<ArrayBuffer>,
        credentialPublicKey: publicKey,
      });
  }
  if (cose.get(COSE_KTY) !== algorithm.kty) refuse("COSE key type does not match its algorithm");
  const key: KeyObject = createPublicKey({ key: algorithm.jwk(cose), format: "jwk" });
  const keyInput = algorithm.dsaEncoding ? { key, dsaEncoding: algorithm.dsaEncoding } : key;
  return (data, signature) => verify(algorithm.digest, data, keyInput, signature);
}

/** Converted keys by their stored COSE form; a key converts again in about 30 µs, so the oldest simply go. */
const MAX_CACHED_KEYS = 10_000;
const signatureChecks = new Map<string, SignatureCheck>();

async function cachedSignatureCheck(storedPublicKey: string): Promise<SignatureCheck> {
  let check = signatureChecks.get(storedPublicKey);
  if (!check) {
    check = await signatureCheckFor(Buffer.from(storedPublicKey, "base64url") as Uint8Array<ArrayBuffer>);
    if (signatureChecks.size >= MAX_CACHED_KEYS)
      signatureChecks.delete(signatureChecks.keys().next().value as string);
    signatureChecks.set(storedPublicKey, check);
  }
  return check;
}

/**
 * Verifies `response` against the stored credential's public key (COSE, base64url). Throws
 * `AssertionRefused` with the reason when any check fails. The signature counter is the
 * caller's to compare.
 */
export async function verifyAssertion(
  response: AuthenticationResponseJSON,
  expected: ExpectedAssertion,
  storedPublicKey: string,
): Promise<VerifiedAssertion> {
  if (response.id !== response.rawId) refuse("id and rawId differ");
  const clientDataJSON = Buffer.from(response.response.clientDataJSON, "base64url");
  checkClientData(clientDataJSON, expected);
  const authData = Buffer.from(response.response.authenticatorData, "base64url");
  const info = await readAuthenticatorData(authData, sha256(expected.rpId), expected);
  const check = await cachedSignatureCheck(storedPublicKey);
  const signedData = Buffer.concat([authData, sha256(clientDataJSON)]);
  let isValid = false;
  try {
    isValid = await check(signedData, Buffer.from(response.response.signature, "base64url"));
  } catch {
    // A malformed DER signature, or a key the runtime cannot use (ML-DSA before Node.js 24).
  }
  if (!isValid) refuse("bad signature");
  return info;
}
