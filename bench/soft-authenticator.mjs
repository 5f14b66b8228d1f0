// A software passkey for the driver, on node:crypto: ES256 (P-256) keys, "none" attestation,
// discoverable credentials. It builds the bytes a browser and a platform authenticator would
// (clientDataJSON, authenticatorData, CBOR attestation object, DER signature), so the server runs
// its real WebAuthn verification. test/support/soft-authenticator.ts, the test suite's richer
// version able to bend every field, builds on this file's CBOR and COSE encoding.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";

const FLAGS_SIGN_IN = 0x01 | 0x04; // user present, user verified
const FLAGS_REGISTRATION = FLAGS_SIGN_IN | 0x40; // + attested credential data
const NO_AAGUID = Buffer.alloc(16);

function cborHead(majorType, length) {
  const major = majorType << 5;
  if (length < 24) return Buffer.from([major | length]);
  if (length < 0x100) return Buffer.from([major | 24, length]);
  if (length < 0x10000) return Buffer.from([major | 25, length >> 8, length & 0xff]);
  const head = Buffer.alloc(5);
  head[0] = major | 26;
  head.writeUInt32BE(length, 1);
  return head;
}

/** CBOR for integers, byte strings (Buffer), text strings and Maps: all WebAuthn needs here. */
export function encodeCbor(value) {
  if (typeof value === "number") return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value]);
  const parts = [cborHead(5, value.size)];
  for (const [key, entry] of value) parts.push(encodeCbor(key), encodeCbor(entry));
  return Buffer.concat(parts);
}

const sha256 = (data) => createHash("sha256").update(data).digest();

/** The credential public key in COSE form (EC2, P-256, ES256). */
export function coseKey(publicKey) {
  const { x, y } = publicKey.export({ format: "jwk" });
  return encodeCbor(
    new Map([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(x, "base64url")],
      [-3, Buffer.from(y, "base64url")],
    ]),
  );
}

function authenticatorData(rpId, flags, signCount, attested = Buffer.alloc(0)) {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(signCount >>> 0);
  return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, attested]);
}

const clientData = (type, challenge, origin) =>
  Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

/** One authenticator holding one credential per registration; `origin` is the page's origin. */
export function createSoftAuthenticator({ origin }) {
  const credentials = [];
  const defaultRpId = new URL(origin).hostname;

  /** navigator.credentials.create() for the server's JSON options. */
  function register(options) {
    const rpId = options.rp?.id ?? defaultRpId;
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const idBytes = randomBytes(32);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(idBytes.length);
    const attested = Buffer.concat([NO_AAGUID, idLength, idBytes, coseKey(publicKey)]);
    const attestationObject = encodeCbor(
      new Map([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authenticatorData(rpId, FLAGS_REGISTRATION, 0, attested)],
      ]),
    );
    const credential = {
      id: idBytes.toString("base64url"),
      rpId,
      userHandle: options.user.id,
      privateKey,
      publicKey,
    };
    credential.signCount = 0;
    credentials.push(credential);
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      response: {
        clientDataJSON: clientData("webauthn.create", options.challenge, origin).toString("base64url"),
        attestationObject: attestationObject.toString("base64url"),
        transports: ["internal"],
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  /** navigator.credentials.get(): signs with the newest credential the options allow. */
  function authenticate(options) {
    const allowed = (options.allowCredentials ?? []).map((entry) => entry.id);
    const credential = credentials.findLast((c) => allowed.length === 0 || allowed.includes(c.id));
    if (!credential) throw new Error("the authenticator holds no matching credential");
    credential.signCount += 1;
    const authData = authenticatorData(options.rpId ?? credential.rpId, FLAGS_SIGN_IN, credential.signCount);
    const clientDataJSON = clientData("webauthn.get", options.challenge, origin);
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
        clientDataJSON: clientDataJSON.toString("base64url"),
        authenticatorData: authData.toString("base64url"),
        signature: signature.toString("base64url"),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  return { register, authenticate, credentials };
}
