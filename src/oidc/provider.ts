import type Provider from "oidc-provider";
import type {
  Configuration,
  interactionPolicy as InteractionPolicy,
  JWK,
  KoaContextWithOIDC,
} from "oidc-provider";
import { AppError, errorBody } from "../errors.js";
import { importOnFirstUse } from "../load-on-first-use.js";
import { constantTimeEqual } from "../security/crypto.js";
import { FIRST_PARTY } from "./client-metadata.js";
import type { ClientRegistry } from "./clients.js";
import { errorPage, logoutPage, type PageContext, signedOutPage } from "./pages.js";
import { currentScope } from "./request-scope.js";
import { CLAIMS_OF_SCOPE } from "./userinfo.js";

export const OIDC_ROUTE_PREFIX = "/oidc";
export const INTERACTION_PATH = "/interaction";

/** The provider's routes whose features are on; a path under none of them is not the provider's. */
export const PROVIDER_ROUTES = {
  authorization: `${OIDC_ROUTE_PREFIX}/auth`,
  token: `${OIDC_ROUTE_PREFIX}/token`,
  userinfo: `${OIDC_ROUTE_PREFIX}/me`,
  jwks: `${OIDC_ROUTE_PREFIX}/jwks`,
  revocation: `${OIDC_ROUTE_PREFIX}/token/revocation`,
  introspection: `${OIDC_ROUTE_PREFIX}/token/introspection`,
  end_session: `${OIDC_ROUTE_PREFIX}/session/end`,
};

/**
 * oidc-provider (a Koa app with its own dependencies) is loaded when the first provider is
 * built, not at start-up: most requests never reach it (docs/performance.md).
 */
export const loadOidcProvider = importOnFirstUse(() => import("oidc-provider"));

export type AccountLookup = (accountId: string) => Promise<{ email: string } | undefined>;

export interface OidcEvents {
  authorized(ctx: KoaContextWithOIDC): void;
  refused(ctx: KoaContextWithOIDC, error: Error): void;
  signedOut(ctx: KoaContextWithOIDC): void;
}

export interface ProviderOptions {
  issuer: string;
  // biome-ignore lint/suspicious/noExplicitAny: oidc-provider's adapter option takes a class constructor.
  adapter: any;
  jwks: JWK[];
  cookieKeys: string[];
  clients: ClientRegistry;
  findAccount: AccountLookup;
  events: OidcEvents;
  ttl: { accessTokenSeconds: number; refreshTokenSeconds: number; sessionSeconds: number };
  /** APP_NAME, on the provider's own pages. */
  appName: string;
}

const SCOPES = ["openid", "email", "profile", "offline_access"];

function mutableCopy(claimsOfScope: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(claimsOfScope).map(([scope, claims]) => [scope, [...claims]]));
}

/**
 * Every grant, first-party clients get theirs without a consent page: a new one, or the
 * existing one widened to the scopes the app asks for now.
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const client = oidc.client;
  const accountId = oidc.session?.accountId;
  if (!client || !accountId) return undefined;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(client.clientId);
  const found = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  const existing = found?.accountId === accountId && found.clientId === client.clientId ? found : undefined;
  if (!client[FIRST_PARTY]) return existing;
  const grant = existing ?? new oidc.provider.Grant({ accountId, clientId: client.clientId });
  const requested = [...oidc.requestParamOIDCScopes];
  const granted = new Set(grant.getOIDCScope().split(" "));
  if (existing && requested.every((scope) => granted.has(scope))) return existing;
  grant.addOIDCScope(requested.join(" "));
  await grant.save();
  return grant;
}

/**
 * oidc-provider's default policy, except that first-party apps skip consent even with a
 * loopback redirect (oidc-provider asks native apps every time, as another app could listen
 * on that port; a first-party client still authenticates with its secret or PKCE).
 */
function createPolicy(interactionPolicy: typeof InteractionPolicy) {
  const policy = interactionPolicy.base();
  const nativeCheck = policy.get("consent")?.checks.get("native_client_prompt");
  if (nativeCheck) {
    const asksNativeApps = nativeCheck.check;
    nativeCheck.check = (ctx) => (ctx.oidc.client?.[FIRST_PARTY] ? false : asksNativeApps(ctx));
  }
  return policy;
}

function pageContext(ctx: KoaContextWithOIDC, appName: string): PageContext {
  return { appName, acceptLanguage: ctx.get("accept-language") || undefined };
}

/**
 * The OpenID Provider on panva's oidc-provider: code flow with PKCE only, rotating
 * refresh tokens, opaque access tokens kept in our database (revocation is immediate on
 * every instance). Built again when the signing keys change (see service.ts).
 */
export async function createProvider(options: ProviderOptions): Promise<Provider> {
  const { default: OidcProvider, interactionPolicy } = await loadOidcProvider();
  const renderError = (ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) => {
    ctx.type = "html";
    ctx.body = errorPage(pageContext(ctx, options.appName), out.error, out.error_description);
  };
  const configuration: Configuration = {
    adapter: options.adapter,
    jwks: { keys: options.jwks },
    cookies: {
      keys: options.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: "lax" },
      short: { signed: true, httpOnly: true, sameSite: "lax" },
    },
    scopes: SCOPES,
    claims: {
      acr: null,
      amr: null,
      auth_time: null,
      iss: null,
      sid: null,
      ...mutableCopy(CLAIMS_OF_SCOPE),
    },
    responseTypes: ["code"],
    pkce: { required: (_ctx, client) => client.tokenEndpointAuthMethod === "none" },
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
    enabledJWA: { idTokenSigningAlgValues: ["RS256", "ES256", "EdDSA"] },
    extraClientMetadata: { properties: [FIRST_PARTY] },
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      id_token_signed_response_alg: "RS256",
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      introspection: {
        enabled: true,
        // Only confidential clients (RFC 7662 wants the caller authenticated).
        allowedPolicy: (_ctx, client) => client.tokenEndpointAuthMethod !== "none",
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = logoutPage(pageContext(ctx, options.appName), form, ctx.oidc.client?.clientName);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = signedOutPage(pageContext(ctx, options.appName));
        },
      },
    },
    findAccount: async (_ctx, sub) => {
      const account = await options.findAccount(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: account.email, email_verified: true }),
      };
    },
    loadExistingGrant,
    // Refresh tokens only for offline_access, rotated on every use; a rotated-out token revokes the grant.
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed("refresh_token") && code.scopes.has("offline_access"),
    rotateRefreshToken: true,
    ttl: {
      AuthorizationCode: 60,
      AccessToken: options.ttl.accessTokenSeconds,
      IdToken: options.ttl.accessTokenSeconds,
      RefreshToken: options.ttl.refreshTokenSeconds,
      Grant: options.ttl.refreshTokenSeconds,
      Session: options.ttl.sessionSeconds,
      Interaction: 600,
    },
    interactions: {
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
      policy: createPolicy(interactionPolicy),
    },
    routes: {
      ...PROVIDER_ROUTES,
      pushed_authorization_request: `${OIDC_ROUTE_PREFIX}/request`,
      code_verification: `${OIDC_ROUTE_PREFIX}/device`,
      device_authorization: `${OIDC_ROUTE_PREFIX}/device/auth`,
      backchannel_authentication: `${OIDC_ROUTE_PREFIX}/backchannel`,
      registration: `${OIDC_ROUTE_PREFIX}/reg`,
      challenge: `${OIDC_ROUTE_PREFIX}/challenge`,
    },
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => URL.canParse(uri) && new URL(uri).origin === origin) ?? false,
    renderError,
  };
  const provider = new OidcProvider(options.issuer, configuration);
  provider.proxy = true;
  // The stored `client_secret` is the secret's keyed hash; compare the presented secret's hash with it.
  const hashSecret = options.clients.hashSecret;
  provider.Client.prototype.compareClientSecret = function compare(
    this: { clientSecret?: string },
    actual: string,
  ) {
    return constantTimeEqual(this.clientSecret ?? "", hashSecret(actual));
  };
  provider.use(async (_ctx, next) => {
    await next();
    const scope = currentScope();
    if (scope) await Promise.all(scope.pending);
  });
  // A path under one of the provider's routes that its router does not serve (`/oidc/token/`)
  // gets the API's JSON 404, not Koa's text one.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body == null) {
      ctx.status = 404; // set explicitly, or Koa answers 200 once a body is set
      ctx.body = errorBody(new AppError("not_found"));
    }
  });
  provider.on("authorization.success", (ctx: KoaContextWithOIDC) => options.events.authorized(ctx));
  provider.on("authorization.error", (ctx: KoaContextWithOIDC, error: Error) =>
    options.events.refused(ctx, error),
  );
  provider.on("end_session.success", (ctx: KoaContextWithOIDC) => options.events.signedOut(ctx));
  return provider;
}
