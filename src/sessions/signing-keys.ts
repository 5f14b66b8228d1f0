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
}

const DAY_MS = 86_400_000;

function hmacKid(secret: string): string {
  return `hs-${createHash("sha256").update(secret).digest("base64url").slice(0, 12)}`;
}

/**
 * The signing keys as a list (STYLE.md 16): sign with the newest, verify with any key not
 * yet past its retirement window, resolve by exact `kid`. Ed25519 private keys are kept
 * in the database encrypted with a sub-key of SECRET_KEY, so every instance shares them.
 */
export function createSigningKeys(options: SigningKeysOptions) {
  const { db, clock } = options;
  const algorithm: SigningAlgorithm = options.jwtSecret ? "HS256" : "EdDSA";
  let keys: LoadedKey[] = [];
  let loadedAt = 0;

  async function toLoadedKey(row: {
    kid: string;
    public_jwk: string;
    private_jwk: string;
    created_at: number;
    retired_at: number | null;
  }): Promise<LoadedKey> {
    const publicJwk = JSON.parse(row.public_jwk) as JWK;
    const privateJwk = JSON.parse(decrypt(options.encryptionKey, row.private_jwk)) as JWK;
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

  async function createKey(): Promise<void> {
    const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = createHash("sha256").update(JSON.stringify(publicJwk)).digest("base64url").slice(0, 16);
    const now = clock.now();
    await db.transaction().execute(async (tx) => {
      await tx.updateTable("signing_keys").set({ retired_at: now }).where("retired_at", "is", null).execute();
      await tx
        .insertInto("signing_keys")
        .values({
          kid,
          alg: "EdDSA",
          public_jwk: JSON.stringify(publicJwk),
          private_jwk: encrypt(options.encryptionKey, JSON.stringify(await exportJWK(privateKey))),
          created_at: now,
          retired_at: null,
        })
        .execute();
    });
  }

  function newestActive(): LoadedKey | undefined {
    return keys.find((key) => key.retiredAt === null) ?? keys[0];
  }

  /** Loads the keys and creates the first one, or a new one when the newest is due for rotation. */
  async function ensureCurrent(): Promise<void> {
    await reload();
    if (algorithm === "HS256") return;
    const current = newestActive();
    const isDue = !current || current.createdAt + options.rotationDays * DAY_MS <= clock.now();
    if (isDue) {
      await createKey();
      await reload();
    }
  }

  /** Rotates now: a new key signs from here on; the old ones stay published until their tokens expire. */
  async function rotate(): Promise<string> {
    if (algorithm === "HS256") throw new Error("HS256 (JWT_SECRET) keys are rotated by changing JWT_SECRET");
    await createKey();
    await reload();
    return newestActive()?.kid ?? "";
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
    findVerificationKey(kid: string): VerificationKey | undefined {
      return keys.find((key) => key.kid === kid)?.verificationKey;
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
