import type { OidcClient } from "./client-store.js";
import { isNativeClient } from "./clients.js";

/** Our extra client metadata: first-party clients skip the consent page. */
export const FIRST_PARTY = "latchkey_first_party";

/**
 * The metadata oidc-provider sees for a registered client. `client_secret` is the keyed
 * hash of the secret, never the secret: the provider compares it against the hash of what
 * the client presents (see provider.ts), so a leaked database holds no usable secret.
 */
export function toClientMetadata(client: OidcClient) {
  return {
    client_id: client.id,
    client_name: client.name,
    ...(client.isPublic ? {} : { client_secret: client.secretHash ?? undefined }),
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: client.isPublic ? "none" : "client_secret_basic",
    application_type: isNativeClient(client) ? "native" : "web",
    id_token_signed_response_alg: client.idTokenSigningAlgorithm,
    require_auth_time: true,
    [FIRST_PARTY]: client.isFirstParty,
  };
}
