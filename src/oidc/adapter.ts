import type { Adapter, AdapterPayload } from "oidc-provider";
import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { toClientMetadata } from "./client-metadata.js";
import type { ClientRegistry } from "./clients.js";
import {
  consumePayload,
  deleteByGrantId,
  deleteGrant,
  deletePayload,
  findPayload,
  findPayloadEvenExpired,
  toAdapterPayload,
  upsertPayload,
} from "./payload-store.js";
import { loadOidcProvider } from "./provider.js";
import { type LiveSessionLookup, linkSessionPayload, resolveSessionPayload } from "./session-link.js";

/** Codes and refresh tokens: consuming one twice means it was replayed. */
const SINGLE_USE_MODELS = new Set([
  "AuthorizationCode",
  "RefreshToken",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
]);

/**
 * oidc-provider's storage on our database: every instance sees the same codes, tokens,
 * grants and sessions. Clients come from `oidc_clients` (read-only here).
 */
export function createAdapterClass({
  db,
  clock,
  clients,
  findLiveSession,
}: {
  db: Db;
  clock: Clock;
  clients: ClientRegistry;
  findLiveSession: LiveSessionLookup;
}) {
  return class KyselyAdapter implements Adapter {
    constructor(readonly name: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const now = clock.now();
      const stored = this.name === "Session" ? await linkSessionPayload(id, payload) : payload;
      await upsertPayload(db, {
        model: this.name,
        id,
        payload: JSON.stringify(stored),
        grantId: payload.grantId ?? null,
        uid: payload.uid ?? null,
        userCode: payload.userCode ?? null,
        accountId: payload.accountId ?? null,
        clientId: payload.clientId ?? null,
        createdAt: now,
        expiresAt: expiresIn ? now + expiresIn * 1000 : null,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.name === "Client") {
        const client = await clients.find(id);
        return client ? (toClientMetadata(client) as AdapterPayload) : undefined;
      }
      return this.findBy("id", id);
    }

    findByUid(uid: string) {
      return this.findBy("uid", uid);
    }

    findByUserCode(userCode: string) {
      return this.findBy("user_code", userCode);
    }

    private async findBy(column: "id" | "uid" | "user_code", value: string) {
      const row = await findPayload(db, this.name, column, value, clock.now());
      if (!row) return undefined;
      const payload = toAdapterPayload(row);
      return this.name === "Session" ? resolveSessionPayload(row.id, payload, findLiveSession) : payload;
    }

    /**
     * Single use in one conditional write. oidc-provider checks `consumed` after a read, so
     * two parallel requests could both pass that check; the loser lands here, and is
     * treated as the replay it is: the whole grant dies (RFC 6749 4.1.2, 10.4).
     */
    async consume(id: string): Promise<void> {
      const isFirst = await consumePayload(db, this.name, id, clock.now());
      if (isFirst || !SINGLE_USE_MODELS.has(this.name)) return;
      const row = await findPayloadEvenExpired(db, this.name, id);
      if (row?.grantId) await deleteGrant(db, row.grantId);
      const { errors } = await loadOidcProvider();
      throw new errors.InvalidGrant("grant request is invalid");
    }

    async destroy(id: string): Promise<void> {
      await deletePayload(db, this.name, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await deleteByGrantId(db, grantId, this.name);
    }
  };
}
