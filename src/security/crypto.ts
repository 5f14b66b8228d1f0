import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomFillSync,
  randomInt,
  timingSafeEqual,
} from "node:crypto";

/**
 * The small set of primitives every secret in Latchkey goes through. Codes, link tokens,
 * refresh tokens and binding cookies are stored only as HMAC-SHA-256 digests keyed with a
 * sub-key of SECRET_KEY. An HMAC (not a slow password hash) is deliberate: an offline
 * attack needs the server key, a code lives at most 10 minutes, and verification has to
 * stay fast on the hot path (SECURITY.md item 8).
 */

export type KeyPurpose =
  | "challenge-code"
  | "challenge-link"
  | "browser-binding"
  | "refresh-token"
  | "email-hash"
  | "signing-key-encryption"
  | "outbox-encryption"
  | "passkey-ceremony"
  | "admin-key"
  | "webhook-secret-encryption"
  | "oidc-client-secret"
  | "oidc-cookies";

/** Derives an independent 32-byte key for one purpose from the root secret (HKDF-SHA-256). */
export function deriveKey(rootSecret: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync("sha256", rootSecret, "latchkey", `latchkey/${purpose}/v1`, 32));
}

export function keyedHash(key: Buffer, value: string): string {
  return createHmac("sha256", key).update(value).digest("base64url");
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  return constantTimeEqualBytes(Buffer.from(a), Buffer.from(b));
}

/** Compares two byte strings (MACs, signatures) in time independent of where they differ. */
export function constantTimeEqualBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/**
 * Random bytes from node:crypto's CSPRNG, drawn 4 KiB at a time: one `randomBytes` call cost
 * about 8 µs of CPU whatever its size, and a sign-in draws a dozen ids, tokens and IVs. Each
 * draw is copied out and its bytes in the pool are zeroed at once, so the pool never holds a
 * value already handed out. (Node's own randomUUID and randomInt cache entropy the same way.)
 */
const RANDOM_POOL_BYTES = 4096;
const randomPool = Buffer.alloc(RANDOM_POOL_BYTES);
let randomPoolOffset = RANDOM_POOL_BYTES;

export function randomBuffer(bytes: number): Buffer {
  if (bytes > RANDOM_POOL_BYTES) return randomFillSync(Buffer.alloc(bytes));
  if (randomPoolOffset + bytes > RANDOM_POOL_BYTES) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  const end = randomPoolOffset + bytes;
  const drawn = Buffer.from(randomPool.subarray(randomPoolOffset, end));
  randomPool.fill(0, randomPoolOffset, end);
  randomPoolOffset = end;
  return drawn;
}

/** A random base64url token of `bytes` bytes (32 bytes = 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBuffer(bytes).toString("base64url");
}

/** A 128-bit random identifier, 22 base64url characters, never sequential. */
export function randomId(): string {
  return randomToken(16);
}

/** Uniformly random decimal digits; leading zeros allowed. `randomInt` is unbiased. */
export function randomDigits(length: number): string {
  let digits = "";
  for (let index = 0; index < length; index++) digits += String(randomInt(10));
  return digits;
}

const GCM_IV_BYTES = 12;

/** AES-256-GCM; the result is `iv.ciphertext.tag` in base64url. */
export function encrypt(key: Buffer, plaintext: string): string {
  const iv = randomBuffer(GCM_IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString("base64url")).join(".");
}

export function decrypt(key: Buffer, sealed: string): string {
  const [iv, ciphertext, tag] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !ciphertext || !tag) throw new Error("malformed ciphertext");
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
}

/** The keys every feature needs, derived once at startup. */
export interface Keyring {
  readonly codeKey: Buffer;
  readonly linkKey: Buffer;
  readonly bindingKey: Buffer;
  readonly refreshKey: Buffer;
  readonly emailKey: Buffer;
  readonly signingKeyEncryptionKey: Buffer;
  readonly outboxKey: Buffer;
  readonly passkeyCeremonyKey: Buffer;
  readonly adminKeyHashKey: Buffer;
  readonly webhookSecretKey: Buffer;
}

export function createKeyring(rootSecret: string): Keyring {
  return {
    codeKey: deriveKey(rootSecret, "challenge-code"),
    linkKey: deriveKey(rootSecret, "challenge-link"),
    bindingKey: deriveKey(rootSecret, "browser-binding"),
    refreshKey: deriveKey(rootSecret, "refresh-token"),
    emailKey: deriveKey(rootSecret, "email-hash"),
    signingKeyEncryptionKey: deriveKey(rootSecret, "signing-key-encryption"),
    outboxKey: deriveKey(rootSecret, "outbox-encryption"),
    passkeyCeremonyKey: deriveKey(rootSecret, "passkey-ceremony"),
    adminKeyHashKey: deriveKey(rootSecret, "admin-key"),
    webhookSecretKey: deriveKey(rootSecret, "webhook-secret-encryption"),
  };
}
