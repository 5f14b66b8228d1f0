import type { FastifyBaseLogger } from "fastify";
import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Db } from "../db/database.js";
import { API_PREFIX } from "../http/paths.js";
import type { AuditLog } from "../security/audit.js";
import { deriveKey } from "../security/crypto.js";
import {
  createSigningKeys,
  type RequestContext,
  type SessionService,
  type SigningKeys,
} from "../sessions/index.js";
import { findUserById } from "../users/index.js";
import { createAdapterClass } from "./adapter.js";
import { findClientsByIds } from "./client-store.js";
import { type ClientRegistry, createClientRegistry } from "./clients.js";
import { deleteClientPayloads, deleteExpiredPayloads, listGrantsOfAccount } from "./payload-store.js";
import { createProvider } from "./provider.js";
import { currentScope } from "./request-scope.js";
import { createDirectUserinfo } from "./userinfo.js";

export interface OidcServiceOptions {
  db: Db;
  clock: Clock;
  config: Config;
  /** The access-token keys: EdDSA ID tokens reuse them (one EdDSA key set per deployment). */
  accessTokenKeys: SigningKeys;
  sessions: SessionService;
  audit: AuditLog;
  log: FastifyBaseLogger;
}

export interface ConnectedApp {
  clientId: string;
  name: string;
  scopes: string[];
  lastUsedAt: number;
}

/** The refresh cookie's path (sessions/cookies.ts); RP-initiated logout clears it too. */
const REFRESH_COOKIE_PATH = API_PREFIX;

export function createOidcService(options: OidcServiceOptions) {
  const { db, clock, config, sessions, audit, log } = options;
  const secretKey = config.secretKey ?? "";
  const hasEdDsaKeys = options.accessTokenKeys.algorithm === "EdDSA";
  const clients = createClientRegistry({
    db,
    clock,
    secretKey: deriveKey(secretKey, "oidc-client-secret"),
    signableIdTokenAlgorithms: hasEdDsaKeys ? ["RS256", "ES256", "EdDSA"] : ["RS256", "ES256"],
  });
  const idTokenTtlSeconds = config.tokens.accessTokenTtlSeconds;
  const keyOptions = {
    db,
    clock,
    encryptionKey: deriveKey(secretKey, "signing-key-encryption"),
    jwtSecret: undefined,
    rotationDays: config.tokens.keyRotationDays,
    // An ID token stays verifiable for its whole life, on instances that reload late too.
    retiredKeyLifetimeMs:
      (idTokenTtlSeconds + config.tokens.clockSkewSeconds + config.tokens.keyReloadSeconds) * 1000,
    prepublishMs: (config.tokens.keyReloadSeconds + 600) * 1000,
  };
  const rsaKeys = createSigningKeys({ ...keyOptions, algorithm: "RS256" });
  const ecKeys = createSigningKeys({ ...keyOptions, algorithm: "ES256" });
  const Adapter = createAdapterClass({ db, clock, clients, findLiveSession: sessions.findLiveSession });
  const issuer = config.server.publicUrl.origin;
  const cookieKeys = [deriveKey(secretKey, "oidc-cookies").toString("base64url")];
  let provider: Provider | undefined;
  let publishedKids = "";

  function currentJwks() {
    const eddsa = hasEdDsaKeys ? options.accessTokenKeys.signingJwks() : [];
    return [...rsaKeys.signingJwks(), ...ecKeys.signingJwks(), ...eddsa];
  }

  /**
   * Loads (and rotates when due) the ID-token keys; a changed key set builds a new provider,
   * whose keystore then publishes and signs with it. Everything else lives in the database,
   * so requests on the old provider finish unharmed.
   */
  async function refreshKeys(): Promise<void> {
    await rsaKeys.ensureCurrent();
    await ecKeys.ensureCurrent();
    const jwks = currentJwks();
    const kids = jwks.map((key) => key.kid).join(" ");
    if (provider && kids === publishedKids) return;
    provider = await createProvider({
      issuer,
      adapter: Adapter,
      jwks,
      cookieKeys,
      clients,
      findAccount,
      events: { authorized, refused, signedOut },
      ttl: {
        accessTokenSeconds: config.tokens.accessTokenTtlSeconds,
        refreshTokenSeconds: config.sessions.absoluteLifetimeSeconds,
        sessionSeconds: config.sessions.absoluteLifetimeSeconds,
      },
      appName: config.branding.appName,
    });
    publishedKids = kids;
  }

  /** The person an app's tokens speak for; a disabled account has none. */
  async function findAccount(accountId: string) {
    const user = await findUserById(db, accountId);
    return user && !user.isDisabled ? { email: user.email } : undefined;
  }

  function record(work: Promise<unknown>) {
    const guarded = work.catch((error: unknown) => log.warn({ err: error }, "oidc audit or sign-out failed"));
    currentScope()?.pending.push(guarded);
  }

  function clientDetail(ctx: KoaContextWithOIDC): Record<string, string> {
    const client = ctx.oidc.client;
    return client ? { client_id: client.clientId, client_name: client.clientName ?? client.clientId } : {};
  }

  function authorized(ctx: KoaContextWithOIDC) {
    const userId = ctx.oidc.session?.accountId;
    const context = currentScope()?.context;
    record(audit.record({ type: "oidc_authorized", userId, detail: clientDetail(ctx), ...context }));
  }

  function refused(ctx: KoaContextWithOIDC, error: Error) {
    const userId = ctx.oidc?.session?.accountId;
    const code = (error as { error?: string }).error ?? "server_error";
    const context = currentScope()?.context;
    record(
      audit.record({
        type: "oidc_refused",
        userId,
        detail: { ...(ctx.oidc ? clientDetail(ctx) : {}), error: code },
        ...context,
      }),
    );
  }

  /**
   * RP-initiated logout, confirmed. "Sign out" (`logout=yes`) ends this browser's Latchkey
   * sessions too: its own and the one the provider session is linked to (usually the same).
   * "Stay signed in" signs the person out of that app only.
   */
  function signedOut(ctx: KoaContextWithOIDC) {
    const scope = currentScope();
    const accountId = ctx.oidc.session?.accountId;
    if (!scope || !accountId) return;
    const endsLatchkeySession = Boolean(ctx.oidc.params?.logout);
    if (endsLatchkeySession) for (const cookie of clearedSessionCookies()) ctx.append("Set-Cookie", cookie);
    record(
      (async () => {
        if (endsLatchkeySession) {
          const held = [await scope.latchkeySession(), scope.linkedSession];
          const ended = new Set<string>();
          for (const session of held) {
            if (!session || ended.has(session.sessionId)) continue;
            ended.add(session.sessionId);
            await sessions.revokeSession(session.userId, session.sessionId, scope.context, "logout");
          }
        }
        await audit.record({
          type: "oidc_signed_out",
          userId: accountId,
          detail: clientDetail(ctx),
          ...scope.context,
        });
      })(),
    );
  }

  function clearedSessionCookies(): string[] {
    const names = config.sessions.cookieNames;
    const attributes = `Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${config.sessions.secureCookies ? "; Secure" : ""}`;
    return [
      `${names.access}=; Path=/; ${attributes}`,
      `${names.refresh}=; Path=${REFRESH_COOKIE_PATH}; ${attributes}`,
    ];
  }

  /** The apps this person has granted access to, newest use first. */
  async function listConnectedApps(userId: string): Promise<ConnectedApp[]> {
    const grants = await listGrantsOfAccount(db, userId, clock.now());
    const known = new Map(
      (await findClientsByIds(db, [...new Set(grants.map((grant) => grant.clientId))])).map((client) => [
        client.id,
        client,
      ]),
    );
    const apps = new Map<string, ConnectedApp>();
    for (const grant of grants) {
      const client = known.get(grant.clientId);
      if (!client) continue;
      const scopes = ((JSON.parse(grant.payload) as { openid?: { scope?: string } }).openid?.scope ?? "")
        .split(" ")
        .filter(Boolean);
      const previous = apps.get(client.id);
      apps.set(client.id, {
        clientId: client.id,
        name: client.name,
        scopes: [...new Set([...(previous?.scopes ?? []), ...scopes])],
        lastUsedAt: Math.max(previous?.lastUsedAt ?? 0, grant.lastUsedAt),
      });
    }
    return [...apps.values()].sort((a, b) => b.lastUsedAt - a.lastUsedAt);
  }

  /** Revokes every grant, code and token this person gave the client; false when there was none. */
  async function disconnectApp(userId: string, clientId: string, context: RequestContext): Promise<boolean> {
    const deleted = await deleteClientPayloads(db, clientId, userId);
    if (deleted === 0) return false;
    const client = await clients.find(clientId);
    await audit.record({
      ...context,
      type: "oidc_app_disconnected",
      userId,
      detail: { client_id: clientId, client_name: client?.name ?? clientId },
    });
    return true;
  }

  const directUserinfo = createDirectUserinfo({ db, clock, provider: ready });

  const timers: NodeJS.Timeout[] = [];
  function every(ms: number, name: string, task: () => Promise<unknown>) {
    const timer = setInterval(() => {
      task().catch((error: unknown) => log.warn({ err: error, task: name }, "oidc task failed; will retry"));
    }, ms);
    timer.unref();
    timers.push(timer);
  }

  /**
   * The provider, built on first use: its ID-token keys (an RSA key takes a few hundred
   * milliseconds to generate) are created only once some app signs in through OpenID.
   */
  let firstBuild: Promise<void> | undefined;
  async function ready(): Promise<Provider> {
    if (!provider) {
      firstBuild ??= refreshKeys().finally(() => {
        firstBuild = undefined;
      });
      await firstBuild;
    }
    if (!provider) throw new Error("the OpenID Provider could not be built");
    return provider;
  }

  return {
    clients,
    refreshKeys,
    ready,
    /** Picks up key rotations (made here or elsewhere) and deletes expired provider rows. */
    start() {
      every(config.tokens.keyReloadSeconds * 1000, "oidc-keys", async () => {
        if (provider) await refreshKeys();
      });
      every(10 * 60_000, "oidc-cleanup", () => deleteExpiredPayloads(db, clock.now()));
    },
    stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
    },
    listConnectedApps,
    disconnectApp,
    directUserinfo,
  };
}

export type OidcService = ReturnType<typeof createOidcService>;

export type { ClientRegistry };
