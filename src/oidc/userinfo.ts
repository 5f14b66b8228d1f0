import type { FastifyRequest } from "fastify";
import type Provider from "oidc-provider";
import type { AdapterPayload } from "oidc-provider";
import type { Clock } from "../clock.js";
import type { Db } from "../db/database.js";
import { findAccessTokenContext, type StoredPayload, toAdapterPayload } from "./payload-store.js";

/** The claims each scope releases (OpenID Connect Core 5.4); the provider's `claims` setting is built from it. */
export const CLAIMS_OF_SCOPE: Readonly<Record<string, readonly string[]>> = {
  // amr rides with openid: every ID token says how the person signed in (RFC 8176).
  openid: ["sub", "amr"],
  email: ["email", "email_verified"],
  profile: [],
};

/** oidc-provider's token values: nanoid's alphabet. */
const BEARER = /^Bearer ([A-Za-z0-9_-]{1,512})$/;

/**
 * The access token of the common userinfo request: `GET` with `Authorization: Bearer`
 * and nothing else that would change the answer (no query, body, DPoP proof or Origin).
 * Any other request goes to oidc-provider as it is.
 */
export function plainBearerToken(request: FastifyRequest): string | undefined {
  const { headers } = request;
  if (request.method !== "GET" || request.url.includes("?")) return undefined;
  if (headers.dpop !== undefined || headers.origin !== undefined) return undefined;
  if (headers["content-length"] !== undefined || headers["transfer-encoding"] !== undefined) return undefined;
  const authorization = headers.authorization;
  return typeof authorization === "string" ? BEARER.exec(authorization)?.[1] : undefined;
}

export interface DirectUserinfoOptions {
  db: Db;
  clock: Clock;
  provider: () => Promise<Provider>;
}

type Claims = Record<string, unknown>;

/**
 * What oidc-provider's `Model.find` does after its adapter has read the row: verify the
 * stored payload (format, expiry, issue time) and build the model, which checks its kind.
 * Neither static is in oidc-provider's type definitions; test/oidc/userinfo.test.ts holds
 * every answer to oidc-provider's own.
 */
interface ModelLoader<Model> {
  verify(stored: AdapterPayload, options?: { ignoreExpiration?: boolean }): Promise<AdapterPayload>;
  instantiate(payload: AdapterPayload): Model;
}

async function load<Model>(
  model: unknown,
  stored: StoredPayload | undefined,
  options?: { ignoreExpiration?: boolean },
): Promise<Model | undefined> {
  if (!stored) return undefined;
  const loader = model as ModelLoader<Model>;
  try {
    return loader.instantiate(await loader.verify(toAdapterPayload(stored), options));
  } catch {
    return undefined;
  }
}

/**
 * The userinfo endpoint's answer without oidc-provider's Koa stack, which cost about two
 * thirds of a call, and with one database statement where it ran four (docs/performance.md).
 * The token and grant are verified and built by oidc-provider's own models; the checks
 * after them are its userinfo action's, in its order. A request any check would refuse,
 * or that asks for more than a Bearer token's scoped claims (sender-constrained,
 * audience-bound, userinfo claims requested by name, rejected claims), gets `undefined`
 * here, and oidc-provider answers it itself, errors included.
 */
export function createDirectUserinfo({ db, clock, provider }: DirectUserinfoOptions) {
  return async function directUserinfo(token: string): Promise<Claims | undefined> {
    const { AccessToken, Grant } = await provider();
    const context = await findAccessTokenContext(db, token, clock.now());
    let accessToken = await load<InstanceType<typeof AccessToken>>(AccessToken, context?.token);
    // A token without offline_access lives only as long as its provider session: its own find checks that.
    if (accessToken?.expiresWithSession) accessToken = await AccessToken.find(token);
    if (!context || !accessToken?.scopes.has("openid")) return undefined;
    if (accessToken.jkt || accessToken["x5t#S256"] || accessToken.aud !== undefined) return undefined;
    if (accessToken.claims?.userinfo !== undefined || !accessToken.accountId || !accessToken.clientId)
      return undefined;
    if (!context.hasClient || !context.account || context.account.isDisabled) return undefined;
    const grant = await load<InstanceType<typeof Grant>>(Grant, context.grant, { ignoreExpiration: true });
    if (!grant || grant.isExpired) return undefined;
    if (grant.clientId !== accessToken.clientId || grant.accountId !== accessToken.accountId)
      return undefined;
    if (grant.getRejectedOIDCClaims().length > 0) return undefined;
    const scopes = grant.getOIDCScopeFiltered(accessToken.scopes).split(" ");
    const available: Claims = {
      email: context.account.email,
      email_verified: true,
      sub: accessToken.accountId,
    };
    return releasedClaims(available, scopes);
  };
}

/** The available claims the scopes release, in the order the scopes name them. */
function releasedClaims(available: Claims, scopes: string[]): Claims {
  const released: Claims = {};
  for (const scope of scopes) {
    for (const claim of CLAIMS_OF_SCOPE[scope] ?? []) {
      if (Object.hasOwn(available, claim)) released[claim] = available[claim];
    }
  }
  return released;
}
