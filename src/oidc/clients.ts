import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { keyedHash, randomId, randomToken } from "../security/crypto.js";
import {
  deleteClient,
  findClientById,
  insertClient,
  listClients,
  type OidcClient,
  updateSecretHash,
} from "./client-store.js";
import { deleteClientPayloads } from "./payload-store.js";

export type IdTokenAlgorithm = "RS256" | "ES256" | "EdDSA";
export const ID_TOKEN_ALGORITHMS: readonly IdTokenAlgorithm[] = ["RS256", "ES256", "EdDSA"];

export interface NewClient {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  isPublic: boolean;
  isFirstParty: boolean;
  idTokenSigningAlgorithm?: IdTokenAlgorithm;
}

export interface AddedClient {
  client: OidcClient;
  /** Shown once; only its keyed hash is stored. Undefined for public clients. */
  clientSecret: string | undefined;
  tokenEndpointAuthMethod: "client_secret_basic" | "none";
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

/** A native app's private-use scheme (RFC 8252 7.1): reverse domain notation, e.g. `com.example.app:/cb`. */
function isPrivateUseScheme(url: URL): boolean {
  return /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/.test(url.protocol);
}

/** Exact URIs only: https, http on loopback, or a native app's scheme; no fragment, no credentials. */
export function checkRedirectUri(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`not a URL: ${value}`);
  }
  if (url.hash || value.includes("#")) throw new Error(`a redirect URI has no fragment: ${value}`);
  if (url.username || url.password) throw new Error(`a redirect URI has no credentials: ${value}`);
  if (url.protocol !== "https:" && !isLoopbackHttp(url) && !isPrivateUseScheme(url)) {
    throw new Error(
      `use https (http only on localhost/127.0.0.1/[::1]) or a reverse-domain app scheme: ${value}`,
    );
  }
  return value;
}

/** Native apps (loopback or private-use redirects) may use any loopback port (RFC 8252 7.3). */
export function isNativeClient(client: Pick<OidcClient, "redirectUris">): boolean {
  return client.redirectUris.every((uri) => {
    const url = new URL(uri);
    return isLoopbackHttp(url) || isPrivateUseScheme(url);
  });
}

/** Client registration for operators (`latchkey clients …`). Secrets are stored as HMACs only. */
export function createClientRegistry({
  db,
  clock,
  secretKey,
  signableIdTokenAlgorithms,
}: {
  db: Db;
  clock: Clock;
  secretKey: Buffer;
  /** What this deployment has keys for: EdDSA only when the access tokens are EdDSA (their keys are shared). */
  signableIdTokenAlgorithms: readonly IdTokenAlgorithm[];
}) {
  const hashSecret = (secret: string) => keyedHash(secretKey, secret);

  async function add(input: NewClient): Promise<AddedClient> {
    const name = input.name.trim();
    if (!name || name.length > 100) throw new Error("a client needs a name of 1 to 100 characters");
    if (input.redirectUris.length === 0) throw new Error("a client needs at least one --redirect-uri");
    const algorithm = input.idTokenSigningAlgorithm ?? "RS256";
    if (!signableIdTokenAlgorithms.includes(algorithm)) {
      throw new Error(
        `${algorithm} ID tokens need JWT_ALGORITHM=${algorithm} (they share the access-token keys); use RS256 or ES256`,
      );
    }
    const clientSecret = input.isPublic ? undefined : randomToken(32);
    const client: OidcClient = {
      id: randomId(),
      name,
      secretHash: clientSecret ? hashSecret(clientSecret) : null,
      redirectUris: input.redirectUris.map(checkRedirectUri),
      postLogoutRedirectUris: input.postLogoutRedirectUris.map(checkRedirectUri),
      isPublic: input.isPublic,
      isFirstParty: input.isFirstParty,
      idTokenSigningAlgorithm: algorithm,
      createdAt: clock.now(),
    };
    await insertClient(db, client);
    return { client, clientSecret, tokenEndpointAuthMethod: clientSecret ? "client_secret_basic" : "none" };
  }

  /** Removes the client and everything it was granted: its grants, codes and tokens stop working at once. */
  async function remove(clientId: string): Promise<boolean> {
    return db.transaction().execute(async (tx) => {
      await deleteClientPayloads(tx, clientId);
      return deleteClient(tx, clientId);
    });
  }

  /** A new secret for a confidential client; the old one stops working at once. */
  async function rotateSecret(clientId: string): Promise<string | undefined> {
    const clientSecret = randomToken(32);
    const isUpdated = await updateSecretHash(db, clientId, hashSecret(clientSecret));
    return isUpdated ? clientSecret : undefined;
  }

  return {
    add,
    remove,
    rotateSecret,
    list: () => listClients(db),
    find: (clientId: string) => findClientById(db, clientId),
    hashSecret,
  };
}

export type ClientRegistry = ReturnType<typeof createClientRegistry>;
