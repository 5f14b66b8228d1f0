import { createHash, createSecretKey, type KeyObject, type webcrypto } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { decrypt, encrypt } from "../security/crypto.js";

type CryptoKey = webcrypto.CryptoKey;

/** Key-pair algorithms a store can hold; HS256 is the shared-secret mode (JWT_SECRET). */
export const ASYMMETRIC_ALGORITHMS = ["EdDSA", "ES256", "RS256"] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];
export type SigningAlgorithm = AsymmetricAlgorithm | "HS256";

type VerificationKey = CryptoKey | KeyObject | Uint8Array;

interface LoadedKey {
  kid: string;
  createdAt: number;
  retiredAt: number | null;
  publicJwk: JWK;
  privateJwk: JWK;
  signingKey: CryptoKey | KeyObject | Uint8Array;
  verificationKey: VerificationKey;
}

/** What the JWKS publishes of a key: its type's public members, never a private one. */
export interface PublicJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  kid: string;
  alg: AsymmetricAlgorithm;
  use: "sig";
}

export interface SigningKeysOptions {
  db: Db;
  clock: Clock;
  encryptionKey: Buffer;
  /** HS256 when set; then no keys are published and `algorithm` is ignored. */
  jwtSecret: string | undefined;
  /** The key-pair algorithm this store signs with; default EdDSA. Stores of different algorithms share the table. */
  algorithm?: AsymmetricAlgorithm;
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
/** A key revoked anywhere is refused here within this long (the session cache's default TTL). */
const REVOCATION_CHECK_INTERVAL_MS = 1000;

export interface SigningKeyInfo {
  kid: string;
  algorithm: SigningAlgorithm;
  createdAt: number;
  retiredAt: number | null;
  /**
   * `pending` is published, signs later; `active` signs; `retired` still verifies;
   * `expired` awaits pruning; `revoked` was withdrawn and verifies nothing.
   */
  status: "pending" | "active" | "retired" | "expired" | "revoked";
}

/** The members a verifier needs, per key type; private members never leave. */
const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  OKP: ["kty", "crv", "x"],
  EC: ["kty", "crv", "x", "y"],
  RSA: ["kty", "n", "e"],
};

function publicMembers(jwk: JWK): Omit<PublicJwk, "kid" | "alg" | "use"> {
  const names = PUBLIC_MEMBERS[jwk.kty ?? ""] ?? [];
  return { kty: jwk.kty ?? "", ...Object.fromEntries(names.map((name) => [name, jwk[name as keyof JWK]])) };
}

function generate(algorithm: AsymmetricAlgorithm) {
  if (algorithm === "EdDSA") return generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  if (algorithm === "RS256") return generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  return generateKeyPair("ES256", { extractable: true });
}

function hmacKid(secret: string): string {
  return `hs-${createHash("sha256").update(secret).digest("base64url").slice(0, 12)}`;
}

interface KeyRow {
  kid: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  retired_at: number | null;
}

/**
 * The signing keys of one algorithm as a list (STYLE.md 16): sign with the newest, verify
 * with any key not yet past its retirement window, resolve by exact `kid`. Private keys
 * are kept in the database encrypted with a sub-key of SECRET_KEY, so every instance
 * shares them; stores of other algorithms (the OIDC provider's) share the table and never
 * see each other's rows.
 *
 * A key signs from `created_at` until `retired_at`. A scheduled rotation inserts the next
 * key with a `created_at` in the future (and gives the current one the same `retired_at`),
 * so the JWKS publishes it ahead of use and every instance switches at the same moment.
 * Every new key is inserted as the next `generation` of its algorithm, at most once: when
 * instances race, one insert wins and the others adopt its key.
 */
export function createSigningKeys(options: SigningKeysOptions) {
  const { db, clock } = options;
  const prepublishMs = options.prepublishMs ?? 0;
  const algorithm: SigningAlgorithm = options.jwtSecret ? "HS256" : (options.algorithm ?? "EdDSA");
  let keys: LoadedKey[] = [];
  let loadedAt = 0;
  let unknownKidReloadAt = Number.NEGATIVE_INFINITY;
  let unknownKidReload: Promise<void> | undefined;
  let revocationsCheckedAt = Number.NEGATIVE_INFINITY;
  let revocationCheck: Promise<void> | undefined;
  /** The newest generation this instance has seen: its next key must be the one after. */
  let newestGeneration = 0;

  const ownRows = () => db.selectFrom("signing_keys").where("alg", "=", algorithm);

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

  async function toLoadedKey(row: KeyRow): Promise<LoadedKey> {
    const publicJwk = JSON.parse(row.public_jwk) as JWK;
    const privateJwk = JSON.parse(decryptPrivateKey(row.kid, row.private_jwk)) as JWK;
    return {
      kid: row.kid,
      createdAt: Number(row.created_at),
      retiredAt: row.retired_at === null ? null : Number(row.retired_at),
      publicJwk,
      privateJwk,
      signingKey: await importJWK(privateJwk, algorithm),
      verificationKey: await importJWK(publicJwk, algorithm),
    };
  }

  function isPublished(key: LoadedKey, now: number): boolean {
    return key.retiredAt === null || key.retiredAt + options.retiredKeyLifetimeMs > now;
  }

  /** Reads the keys every instance shares; other instances' rotations and revocations show up here. */
  async function reload(): Promise<void> {
    if (algorithm === "HS256") {
      const secret = createSecretKey(Buffer.from(options.jwtSecret ?? ""));
      const kid = hmacKid(options.jwtSecret ?? "");
      const hmacKey = { kid, createdAt: 0, retiredAt: null, publicJwk: {}, privateJwk: {} };
      keys = [{ ...hmacKey, signingKey: secret, verificationKey: secret }];
      return;
    }
    const now = clock.now();
    const rows = await ownRows()
      .select(["kid", "public_jwk", "private_jwk", "created_at", "retired_at", "revoked_at", "generation"])
      .orderBy("created_at", "desc")
      .execute();
    newestGeneration = Math.max(0, ...rows.map((row) => Number(row.generation ?? 0)));
    const loaded = await Promise.all(rows.filter((row) => row.revoked_at === null).map(toLoadedKey));
    keys = loaded.filter((key) => isPublished(key, now));
    loadedAt = now;
    revocationsCheckedAt = now;
  }

  /**
   * Adds the key of the generation after the newest one this instance loaded, signing
   * from `activatesAt`; every key still signing then retires at that moment. A conditional
   * insert: answers undefined when another instance inserted that generation first (its
   * key is then the one to adopt), so concurrent decisions made on one view add one key.
   */
  async function createKey(activatesAt: number): Promise<string | undefined> {
    const { publicKey, privateKey } = await generate(algorithm as AsymmetricAlgorithm);
    const publicJwk = await exportJWK(publicKey);
    const kid = createHash("sha256").update(JSON.stringify(publicJwk)).digest("base64url").slice(0, 16);
    const sealedPrivateJwk = encrypt(options.encryptionKey, JSON.stringify(await exportJWK(privateKey)));
    const generation = newestGeneration + 1;
    return db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto("signing_keys")
        .values({
          kid,
          alg: algorithm,
          generation,
          public_jwk: JSON.stringify(publicJwk),
          private_jwk: sealedPrivateJwk,
          created_at: activatesAt,
          retired_at: null,
          revoked_at: null,
        })
        .onConflict((conflict) => conflict.columns(["alg", "generation"]).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
      await tx
        .updateTable("signing_keys")
        .set({ retired_at: activatesAt })
        .where("alg", "=", algorithm)
        .where("kid", "!=", kid)
        .where((where) => where.or([where("retired_at", "is", null), where("retired_at", ">", activatesAt)]))
        .execute();
      return kid;
    });
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
   * when the current key is due for rotation. Loser of a race with another instance:
   * adopts the winner's key.
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

  /**
   * Rotates now: a new key signs from here on; the old ones stay published until their
   * tokens expire. When another instance rotated at the same moment, its key is adopted
   * and returned.
   */
  async function rotate(): Promise<string> {
    if (algorithm === "HS256") throw new Error("HS256 (JWT_SECRET) keys are rotated by changing JWT_SECRET");
    await reload();
    const kid = await createKey(clock.now());
    await reload();
    const current = newestActive();
    if (!current) throw new Error("no signing key after rotation");
    return kid ?? current.kid;
  }

  /**
   * Withdraws a leaked key at once: it leaves the JWKS and verifies nothing more, here now
   * and on every other instance at its next revocation check (within a second of its next
   * verification). When it was signing or scheduled to, a new key takes over. Answers false for a `kid`
   * this store does not hold.
   */
  async function revoke(kid: string): Promise<boolean> {
    if (algorithm === "HS256") throw new Error("HS256 (JWT_SECRET) keys are revoked by changing JWT_SECRET");
    const now = clock.now();
    const row = await ownRows()
      .select(["created_at", "retired_at", "revoked_at"])
      .where("kid", "=", kid)
      .executeTakeFirst();
    if (!row) return false;
    await db
      .updateTable("signing_keys")
      .set({
        revoked_at: row.revoked_at ?? now,
        retired_at: row.retired_at === null ? now : Math.min(Number(row.retired_at), now),
      })
      .where("alg", "=", algorithm)
      .where("kid", "=", kid)
      .execute();
    const wasSigningOrPending = row.retired_at === null || Number(row.retired_at) > now;
    // A fresh key takes over at once (also when the revoked one was only scheduled to).
    if (wasSigningOrPending) await rotate();
    else await reload();
    return true;
  }

  /**
   * Drops keys revoked elsewhere (another instance, `latchkey keys revoke`) at most
   * `REVOCATION_CHECK_INTERVAL_MS` after the revocation; one small query per interval.
   * A newly revoked key triggers a full reload, so its replacement signs here at once.
   */
  async function checkRevocations(): Promise<void> {
    if (algorithm === "HS256" || clock.now() - revocationsCheckedAt < REVOCATION_CHECK_INTERVAL_MS) return;
    revocationCheck ??= (async () => {
      const rows = await ownRows().select("kid").where("revoked_at", "is not", null).execute();
      const revoked = new Set(rows.map((row) => row.kid));
      if (keys.some((key) => revoked.has(key.kid))) await reload();
      revocationsCheckedAt = clock.now();
    })().finally(() => {
      revocationCheck = undefined;
    });
    await revocationCheck;
  }

  /** Deletes keys whose every token has expired. */
  async function pruneRetired(): Promise<number> {
    const result = await db
      .deleteFrom("signing_keys")
      .where("alg", "=", algorithm)
      .where("retired_at", "is not", null)
      .where("retired_at", "<", clock.now() - options.retiredKeyLifetimeMs)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  function statusOf(row: {
    created_at: number;
    retired_at: number | null;
    revoked_at: number | null;
  }): SigningKeyInfo["status"] {
    const now = clock.now();
    const createdAt = Number(row.created_at);
    const retiredAt = row.retired_at === null ? null : Number(row.retired_at);
    if (row.revoked_at !== null) return "revoked";
    if (createdAt > now && (retiredAt === null || retiredAt > createdAt)) return "pending";
    if (retiredAt === null || retiredAt > now) return "active";
    return retiredAt + options.retiredKeyLifetimeMs > now ? "retired" : "expired";
  }

  function publishedNow(): LoadedKey[] {
    const now = clock.now();
    return keys.filter((key) => isPublished(key, now));
  }

  return {
    algorithm,
    ensureCurrent,
    reload,
    rotate,
    revoke,
    checkRevocations,
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
     * rotated, and its tokens must verify here before the periodic reload. A revoked
     * key is refused whatever this instance had loaded.
     */
    async resolveVerificationKey(kid: string): Promise<VerificationKey | undefined> {
      await checkRevocations();
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
    /** Every stored key of this algorithm, newest first, without key material (for `latchkey keys list`). */
    async list(): Promise<SigningKeyInfo[]> {
      if (algorithm === "HS256") {
        const [key] = keys;
        return key ? [{ kid: key.kid, algorithm, createdAt: 0, retiredAt: null, status: "active" }] : [];
      }
      const rows = await ownRows()
        .select(["kid", "created_at", "retired_at", "revoked_at"])
        .orderBy("created_at", "desc")
        .execute();
      return rows.map((row) => ({
        kid: row.kid,
        algorithm,
        createdAt: Number(row.created_at),
        retiredAt: row.retired_at === null ? null : Number(row.retired_at),
        status: statusOf(row),
      }));
    },
    /** Public members only (OKP `crv`/`x`, EC `crv`/`x`/`y`, RSA `n`/`e`) plus `kid`, `alg`, `use`. */
    jwks(): { keys: PublicJwk[] } {
      if (algorithm === "HS256") return { keys: [] };
      return {
        keys: publishedNow().map((key) => ({
          ...publicMembers(key.publicJwk),
          kid: key.kid,
          alg: algorithm as AsymmetricAlgorithm,
          use: "sig" as const,
        })),
      };
    },
    /**
     * The published keys WITH their private members (for a signer such as oidc-provider
     * that takes a JWKS), the current signing key first. Never publish this.
     */
    signingJwks(): JWK[] {
      if (algorithm === "HS256") return [];
      const current = newestActive();
      const ordered = [...publishedNow()].sort((a, b) => Number(b === current) - Number(a === current));
      return ordered.map((key) => ({ ...key.privateJwk, kid: key.kid, alg: algorithm, use: "sig" }));
    },
  };
}

export type SigningKeys = ReturnType<typeof createSigningKeys>;
