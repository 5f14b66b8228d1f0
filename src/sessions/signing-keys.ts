import { createHash, createSecretKey, type KeyObject, type webcrypto } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { decrypt, encrypt } from "../security/crypto.js";

type CryptoKey = webcrypto.CryptoKey;

export type SigningAlgorithm = "EdDSA" | "HS256";

type VerificationKey = CryptoKey | KeyObject | Uint8Array;

interface LoadedKey {
  kid: string;
  createdAt: number;
  retiredAt: number | null;
  publicJwk: JWK;
  signingKey: CryptoKey | KeyObject | Uint8Array;
  verificationKey: VerificationKey;
}

export interface PublicJwk extends JWK {
  kid: string;
  alg: string;
  use: "sig";
}

export interface SigningKeysOptions {
  db: Db;
  clock: Clock;
  encryptionKey: Buffer;
  /** HS256 when set; then no keys are published. */
  jwtSecret: string | undefined;
  rotationDays: number;
  /** A retired key stays published this long: the longest a token it signed can live. */
  retiredKeyLifetimeMs: number;
  /**
   * A scheduled rotation publishes the next key this long before it signs, so remote
   * verifiers (and HTTP caches of the JWKS) already hold it when the first token arrives.
   * Default 0: the next key signs at once.
   */
  prepublishMs?: number;
}

const DAY_MS = 86_400_000;
/** An unknown `kid` reloads the shared keys at most this often (it is attacker-controlled input). */
const UNKNOWN_KID_RELOAD_INTERVAL_MS = 5000;

export interface SigningKeyInfo {
  kid: string;
  algorithm: SigningAlgorithm;
  createdAt: number;
  retiredAt: number | null;
  /** `pending` is published, signs later; `active` signs; `retired` still verifies; `expired` awaits pruning. */
  status: "pending" | "active" | "retired" | "expired";
}

function hmacKid(secret: string): string {
  return `hs-${createHash("sha256").update(secret).digest("base64url").slice(0, 12)}`;
}

/**
 * The signing keys as a list (STYLE.md 16): sign with the newest, verify with any key not
 * yet past its retirement window, resolve by exact `kid`. Ed25519 private keys are kept
 * in the database encrypted with a sub-key of SECRET_KEY, so every instance shares them.
 *
 * A key signs from `created_at` until `retired_at`. A scheduled rotation inserts the next
 * key with a `created_at` in the future (and gives the current one the same `retired_at`),
 * so the JWKS publishes it ahead of use and every instance switches at the same moment.
 */
export function createSigningKeys(options: SigningKeysOptions) {
  /** A key sealed under another SECRET_KEY cannot be opened: say so, not "unable to authenticate data". */
  function decryptPrivateKey(kid: string, sealed: string): string {
    try {
      return decrypt(options.encryptionKey, sealed);
    } catch (cause) {
      throw new Error(
        `cannot decrypt signing key ${kid}: SECRET_KEY is not the one that created it (restore the original SECRET_KEY)`,
        { cause },
      );
    }
  }

  const { db, clock } = options;
  const prepublishMs = options.prepublishMs ?? 0;
  const algorithm: SigningAlgorithm = options.jwtSecret ? "HS256" : "EdDSA";
  let keys: LoadedKey[] = [];
  let loadedAt = 0;
  let unknownKidReloadAt = Number.NEGATIVE_INFINITY;
  let unknownKidReload: Promise<void> | undefined;

  async function toLoadedKey(row: {
    kid: string;
    public_jwk: string;
    private_jwk: string;
    created_at: number;
    retired_at: number | null;
  }): Promise<LoadedKey> {
    const publicJwk = JSON.parse(row.public_jwk) as JWK;
    const privateJwk = JSON.parse(decryptPrivateKey(row.kid, row.private_jwk)) as JWK;
    return {
      kid: row.kid,
      createdAt: Number(row.created_at),
      retiredAt: row.retired_at === null ? null : Number(row.retired_at),
      publicJwk,
      signingKey: await importJWK(privateJwk, "EdDSA"),
      verificationKey: (await importJWK(publicJwk, "EdDSA")) as CryptoKey,
    };
  }

  function isPublished(key: LoadedKey, now: number): boolean {
    return key.retiredAt === null || key.retiredAt + options.retiredKeyLifetimeMs > now;
  }

  /** Reads the keys every instance shares; other instances' rotations show up here. */
  async function reload(): Promise<void> {
    if (algorithm === "HS256") {
      const secret = createSecretKey(Buffer.from(options.jwtSecret ?? ""));
      const kid = hmacKid(options.jwtSecret ?? "");
      keys = [
        { kid, createdAt: 0, retiredAt: null, publicJwk: {}, signingKey: secret, verificationKey: secret },
      ];
      return;
    }
    const now = clock.now();
    const rows = await db.selectFrom("signing_keys").selectAll().orderBy("created_at", "desc").execute();
    const loaded = await Promise.all(rows.map(toLoadedKey));
    keys = loaded.filter((key) => isPublished(key, now));
    loadedAt = now;
  }

  /** Adds a key that signs from `activatesAt`; every key still signing then retires at that moment. */
  async function createKey(activatesAt: number): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = createHash("sha256").update(JSON.stringify(publicJwk)).digest("base64url").slice(0, 16);
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable("signing_keys")
        .set({ retired_at: activatesAt })
        .where((where) => where.or([where("retired_at", "is", null), where("retired_at", ">", activatesAt)]))
        .execute();
      await tx
        .insertInto("signing_keys")
        .values({
          kid,
          alg: "EdDSA",
          public_jwk: JSON.stringify(publicJwk),
          private_jwk: encrypt(options.encryptionKey, JSON.stringify(await exportJWK(privateKey))),
          created_at: activatesAt,
          retired_at: null,
        })
        .execute();
    });
    return kid;
  }

  function findVerificationKey(kid: string): VerificationKey | undefined {
    const key = keys.find((candidate) => candidate.kid === kid);
    return key && isPublished(key, clock.now()) ? key.verificationKey : undefined;
  }

  function isSigning(key: LoadedKey, now: number): boolean {
    return key.createdAt <= now && (key.retiredAt === null || key.retiredAt > now);
  }

  /**
   * The key that signs now: the newest activated, unretired one (`keys` is newest first).
   * If clocks disagree (this instance lags the one that created the first key), the newest
   * published key: signing a little early with a published key is harmless.
   */
  function newestActive(now = clock.now()): LoadedKey | undefined {
    return keys.find((key) => isSigning(key, now)) ?? keys[0];
  }

  /**
   * Loads the keys; creates the first one, or schedules the next one `prepublishMs` ahead
   * when the current key is due for rotation.
   */
  async function ensureCurrent(): Promise<void> {
    await reload();
    if (algorithm === "HS256") return;
    const now = clock.now();
    const signing = keys.find((key) => isSigning(key, now));
    const hasPending = keys.some((key) => key.createdAt > now && key.retiredAt === null);
    if (hasPending) return;
    if (!signing) {
      await createKey(now);
    } else if (signing.createdAt + options.rotationDays * DAY_MS - prepublishMs <= now) {
      await createKey(now + prepublishMs);
    } else {
      return;
    }
    await reload();
  }

  /** Rotates now: a new key signs from here on; the old ones stay published until their tokens expire. */
  async function rotate(): Promise<string> {
    if (algorithm === "HS256") throw new Error("HS256 (JWT_SECRET) keys are rotated by changing JWT_SECRET");
    const kid = await createKey(clock.now());
    await reload();
    return kid;
  }

  /** Deletes keys whose every token has expired. */
  async function pruneRetired(): Promise<number> {
    const result = await db
      .deleteFrom("signing_keys")
      .where("retired_at", "is not", null)
      .where("retired_at", "<", clock.now() - options.retiredKeyLifetimeMs)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  return {
    algorithm,
    ensureCurrent,
    reload,
    rotate,
    pruneRetired,
    loadedAt: () => loadedAt,
    currentSigningKey(): { kid: string; key: LoadedKey["signingKey"] } {
      const current = newestActive();
      if (!current) throw new Error("no signing key loaded");
      return { kid: current.kid, key: current.signingKey };
    },
    /** Exact lookup only: `kid` is untrusted input. */
    findVerificationKey,
    /**
     * Like `findVerificationKey`, but an unknown `kid` re-reads the shared keys first (at
     * most every few seconds): another instance, or `latchkey keys rotate`, may have
     * rotated, and its tokens must verify here before the periodic reload.
     */
    async resolveVerificationKey(kid: string): Promise<VerificationKey | undefined> {
      const found = findVerificationKey(kid);
      if (found || algorithm === "HS256") return found;
      if (!unknownKidReload) {
        const now = clock.now();
        if (now - unknownKidReloadAt < UNKNOWN_KID_RELOAD_INTERVAL_MS) return undefined;
        unknownKidReloadAt = now;
        unknownKidReload = reload().finally(() => {
          unknownKidReload = undefined;
        });
      }
      await unknownKidReload;
      return findVerificationKey(kid);
    },
    /** Every stored key, newest first, without key material (for `latchkey keys list`). */
    async list(): Promise<SigningKeyInfo[]> {
      if (algorithm === "HS256") {
        const [key] = keys;
        return key ? [{ kid: key.kid, algorithm, createdAt: 0, retiredAt: null, status: "active" }] : [];
      }
      const now = clock.now();
      const rows = await db
        .selectFrom("signing_keys")
        .select(["kid", "created_at", "retired_at"])
        .orderBy("created_at", "desc")
        .execute();
      return rows.map((row): SigningKeyInfo => {
        const createdAt = Number(row.created_at);
        const retiredAt = row.retired_at === null ? null : Number(row.retired_at);
        const base = { kid: row.kid, algorithm, createdAt, retiredAt };
        if (createdAt > now && (retiredAt === null || retiredAt > createdAt))
          return { ...base, status: "pending" };
        if (retiredAt === null || retiredAt > now) return { ...base, status: "active" };
        const isPublishedRow = retiredAt + options.retiredKeyLifetimeMs > now;
        return { ...base, status: isPublishedRow ? "retired" : "expired" };
      });
    },
    /** Public members only (`kty`, `crv`, `x`) plus `kid`, `alg`, `use`. */
    jwks(): { keys: PublicJwk[] } {
      if (algorithm === "HS256") return { keys: [] };
      const now = clock.now();
      return {
        keys: keys
          .filter((key) => isPublished(key, now))
          .map((key) => ({
            kty: key.publicJwk.kty,
            crv: key.publicJwk.crv,
            x: key.publicJwk.x,
            kid: key.kid,
            alg: "EdDSA",
            use: "sig" as const,
          })),
      };
    },
  };
}

export type SigningKeys = ReturnType<typeof createSigningKeys>;
