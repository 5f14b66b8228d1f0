import {
  constants,
  createHmac,
  createSecretKey,
  KeyObject,
  sign as signBytes,
  verify as verifyBytes,
  type webcrypto,
} from "node:crypto";
import { constantTimeEqualBytes } from "../security/crypto.js";

/**
 * Compact JWS (RFC 7515) on node:crypto's synchronous sign and verify, for the JWS
 * algorithms the signing-key store holds. jose goes through WebCrypto's asynchronous jobs,
 * which cost several times the signature itself; this module does only what access tokens
 * need, and is strict where jose is lenient (canonical base64url, no `crit` at all).
 */

export type JwsAlgorithm = "EdDSA" | "ES256" | "RS256" | "HS256";

/** A key as the signing-key store holds it. */
export type JwsKeyInput = webcrypto.CryptoKey | KeyObject | Uint8Array;

export type JsonObject = Record<string, unknown>;

/** A compact JWS split and decoded; nothing in it is verified yet. */
export interface DecodedJws {
  header: JsonObject;
  /** The exact ASCII bytes `header.payload` the signature covers. */
  signingInput: Buffer;
  payloadSegment: string;
  signature: Buffer;
}

const MIN_RSA_MODULUS_BITS = 2048;

const BASE64URL_ALPHABET = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Whether `key` is of the type `algorithm` signs with: an HS256 token never meets a public key. */
function fitsAlgorithm(key: KeyObject, algorithm: JwsAlgorithm): boolean {
  switch (algorithm) {
    case "HS256":
      return key.type === "secret";
    case "EdDSA":
      return key.asymmetricKeyType === "ed25519";
    case "ES256":
      return key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1";
    case "RS256":
      return (
        key.asymmetricKeyType === "rsa" &&
        (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS
      );
  }
}

function toKeyObject(key: JwsKeyInput): KeyObject {
  if (key instanceof KeyObject) return key;
  if (key instanceof Uint8Array) return createSecretKey(key);
  return KeyObject.from(key);
}

/**
 * Converted once per key the store loaded (so once per `kid` and reload), not per token;
 * keyed by the store's own key object, so an entry goes when the store drops that key.
 */
const converted = new WeakMap<JwsKeyInput, { algorithm: JwsAlgorithm; key: KeyObject }>();

/**
 * The store's key as a KeyObject of the type `algorithm` needs: private to sign, public to
 * verify (a secret for HS256). Undefined for any other key: an HS256 token never meets a
 * public key, an EdDSA token never an RSA one.
 */
function keyObjectFor(
  storeKey: JwsKeyInput,
  algorithm: JwsAlgorithm,
  use: "sign" | "verify",
): KeyObject | undefined {
  let entry = converted.get(storeKey);
  if (entry?.algorithm !== algorithm) {
    const key = toKeyObject(storeKey);
    if (!fitsAlgorithm(key, algorithm)) return undefined;
    entry = { algorithm, key };
    converted.set(storeKey, entry);
  }
  const expectedType = algorithm === "HS256" ? "secret" : use === "sign" ? "private" : "public";
  return entry.key.type === expectedType ? entry.key : undefined;
}

function encodeJson(value: JsonObject): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function createSignature(algorithm: JwsAlgorithm, key: KeyObject, input: Buffer): Buffer {
  switch (algorithm) {
    case "HS256":
      return createHmac("sha256", key).update(input).digest();
    case "EdDSA":
      return signBytes(null, input, key);
    case "ES256":
      return signBytes("sha256", input, { key, dsaEncoding: "ieee-p1363" });
    case "RS256":
      return signBytes("sha256", input, { key, padding: constants.RSA_PKCS1_PADDING });
  }
}

/** `base64url(header).base64url(payload).base64url(signature)`; the header's `alg` comes first. */
export function signCompact(
  algorithm: JwsAlgorithm,
  storeKey: JwsKeyInput,
  header: JsonObject,
  payload: JsonObject,
): string {
  const key = keyObjectFor(storeKey, algorithm, "sign");
  if (!key) throw new Error(`the signing key cannot sign ${algorithm}`);
  const signingInput = `${encodeJson({ alg: algorithm, ...header })}.${encodeJson(payload)}`;
  const signature = createSignature(algorithm, key, Buffer.from(signingInput, "ascii"));
  return `${signingInput}.${signature.toString("base64url")}`;
}

/**
 * Strict base64url (RFC 7515 2): no padding, no characters outside the URL alphabet, and
 * unused trailing bits zero. Buffer's decoder skips what it does not know and ignores the
 * trailing bits, so one token would otherwise have several spellings; only the one the
 * encoder produces is taken.
 */
export function decodeBase64url(segment: string): Buffer | undefined {
  if (segment.length === 0) return undefined;
  const bytes = Buffer.from(segment, "base64url");
  return bytes.toString("base64url") === segment ? bytes : undefined;
}

/** A base64url segment holding a UTF-8 JSON object (not an array, string or null). */
export function decodeJsonObject(segment: string): JsonObject | undefined {
  const bytes = decodeBase64url(segment);
  if (!bytes) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined;
  }
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** Splits a compact JWS of exactly three non-empty segments; undefined for anything else. */
export function decodeCompact(token: string): DecodedJws | undefined {
  const segments = token.split(".");
  if (segments.length !== 3) return undefined;
  const [headerSegment = "", payloadSegment = "", signatureSegment = ""] = segments;
  // The payload is decoded (strictly) only once its signature holds; here only its alphabet
  // is checked, so the signing input's bytes are exactly the segments' characters.
  if (!BASE64URL_ALPHABET.test(payloadSegment)) return undefined;
  const header = decodeJsonObject(headerSegment);
  const signature = decodeBase64url(signatureSegment);
  if (!header || !signature) return undefined;
  const signingInput = Buffer.from(`${headerSegment}.${payloadSegment}`, "ascii");
  return { header, signingInput, payloadSegment, signature };
}

/**
 * The header names exactly `algorithm` (never `none`, never another one) and asks for no
 * extension: a `crit` header is refused whatever it lists (jose too refuses all but `b64`),
 * and `b64: false` (RFC 7797 unencoded payload) is refused for a JWT.
 */
export function hasPlainHeaderFor(header: JsonObject, algorithm: JwsAlgorithm): boolean {
  return header.alg === algorithm && !Object.hasOwn(header, "crit") && header.b64 !== false;
}

function checkSignature(algorithm: JwsAlgorithm, key: KeyObject, input: Buffer, signature: Buffer): boolean {
  switch (algorithm) {
    case "HS256":
      return constantTimeEqualBytes(createSignature("HS256", key, input), signature);
    case "EdDSA":
      return signature.length === 64 && verifyBytes(null, input, key, signature);
    case "ES256":
      // `R || S`, 32 bytes each (RFC 7518 3.4), never DER.
      return (
        signature.length === 64 && verifyBytes("sha256", input, { key, dsaEncoding: "ieee-p1363" }, signature)
      );
    case "RS256":
      return verifyBytes("sha256", input, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  }
}

/**
 * Verifies the signature over the exact bytes `header.payload` with `algorithm`, the
 * deployment's pinned one, never the header's. False, not an exception, for any failure.
 */
export function verifySignature(jws: DecodedJws, algorithm: JwsAlgorithm, storeKey: JwsKeyInput): boolean {
  const key = keyObjectFor(storeKey, algorithm, "verify");
  if (!key) return false;
  try {
    return checkSignature(algorithm, key, jws.signingInput, jws.signature);
  } catch {
    return false;
  }
}
