import { parseArgs } from "node:util";
import { type CommandHandler, toCommands } from "../cli-command.js";
import type { OidcClient } from "./client-store.js";
import { type ClientRegistry, ID_TOKEN_ALGORITHMS, type IdTokenAlgorithm } from "./clients.js";

/** `latchkey clients …`: register and manage the apps that sign in through Latchkey. */

function describe(client: OidcClient): string {
  const kind = client.isPublic ? "public" : "confidential";
  const party = client.isFirstParty ? "first-party" : "third-party";
  return `${client.id}  ${client.name}  ${kind} ${party}  redirect ${client.redirectUris.join(" ")}`;
}

function onlyId(args: string[], usage: string): string {
  const [id, ...rest] = args;
  if (!id || rest.length > 0) throw new Error(`usage: latchkey ${usage} ID`);
  return id;
}

const handlers: Record<string, CommandHandler<ClientRegistry>> = {
  async "clients add"(clients, args, output) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        name: { type: "string" },
        "redirect-uri": { type: "string", multiple: true },
        "post-logout-redirect-uri": { type: "string", multiple: true },
        public: { type: "boolean" },
        "first-party": { type: "boolean" },
        "id-token-alg": { type: "string" },
        json: { type: "boolean" },
      },
    });
    const algorithm = values["id-token-alg"] ?? "RS256";
    if (!ID_TOKEN_ALGORITHMS.includes(algorithm as IdTokenAlgorithm)) {
      throw new Error(`--id-token-alg must be one of ${ID_TOKEN_ALGORITHMS.join(", ")}`);
    }
    if (!values.name) throw new Error("--name is required");
    const added = await clients.add({
      name: values.name,
      redirectUris: values["redirect-uri"] ?? [],
      postLogoutRedirectUris: values["post-logout-redirect-uri"] ?? [],
      isPublic: values.public ?? false,
      isFirstParty: values["first-party"] ?? false,
      idTokenSigningAlgorithm: algorithm as IdTokenAlgorithm,
    });
    if (values.json) {
      output.info(
        JSON.stringify({
          client_id: added.client.id,
          ...(added.clientSecret ? { client_secret: added.clientSecret } : {}),
          client_name: added.client.name,
          token_endpoint_auth_method: added.tokenEndpointAuthMethod,
          redirect_uris: added.client.redirectUris,
          post_logout_redirect_uris: added.client.postLogoutRedirectUris,
          first_party: added.client.isFirstParty,
          id_token_signed_response_alg: added.client.idTokenSigningAlgorithm,
        }),
      );
      return;
    }
    output.info(`added: ${describe(added.client)}`);
    output.info(`client_id: ${added.client.id}`);
    if (added.clientSecret) output.info(`client_secret: ${added.clientSecret}  (shown once; store it now)`);
    output.info(`token_endpoint_auth_method: ${added.tokenEndpointAuthMethod}`);
  },
  async "clients list"(clients, args, output) {
    if (args.length > 0) throw new Error("usage: latchkey clients list");
    const list = await clients.list();
    if (list.length === 0) output.info("no clients yet: add one with `latchkey clients add`");
    for (const client of list) output.info(describe(client));
  },
  async "clients remove"(clients, args, output) {
    const id = onlyId(args, "clients remove");
    if (!(await clients.remove(id))) throw new Error(`no client ${id}`);
    output.info(`removed: ${id}; its grants and tokens no longer work`);
  },
  async "clients rotate-secret"(clients, args, output) {
    const id = onlyId(args, "clients rotate-secret");
    const secret = await clients.rotateSecret(id);
    if (!secret) throw new Error(`no confidential client ${id}`);
    output.info(`client_secret: ${secret}  (shown once; the previous secret no longer works)`);
  },
};

const synopses: Record<string, readonly [string | undefined, string]> = {
  "clients add": [
    "--name NAME --redirect-uri URI… [--post-logout-redirect-uri URI…] [--public] [--first-party] [--id-token-alg RS256|ES256|EdDSA] [--json]",
    "register an OpenID client; a confidential client's secret is shown once",
  ],
  "clients list": [undefined, "the registered OpenID clients (never their secrets)"],
  "clients remove": ["ID", "delete a client; its grants and tokens stop working"],
  "clients rotate-secret": ["ID", "a new secret for a confidential client; the old one stops working"],
};

/** `latchkey clients …`: register and manage the apps that sign in through Latchkey. */
export const clientCommands = toCommands((services) => services.oidc.clients, handlers, synopses);
