import { rawFetch } from "./api.js";
import { toApiError } from "./api-error.js";
import { i18n } from "./i18n.js";

/** The OpenID Provider's sign-in steps and the dashboard's connected apps. Cookies only, like api.ts. */

export interface InteractionDetails {
  uid: string;
  prompt: "login" | "consent";
  client: { client_id: string; name: string; first_party: boolean };
  scopes: string[];
  fresh_sign_in_required: boolean;
}

export interface ConnectedApp {
  client_id: string;
  name: string;
  scopes: string[];
  last_used_at: string;
}

async function call<T>(path: string, method: "GET" | "POST" | "DELETE" = "GET", body?: unknown): Promise<T> {
  const response = await rawFetch(path, { method, body });
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}

const interaction = (uid: string) => `/interaction/${encodeURIComponent(uid)}`;

export const oidcApi = {
  details: (uid: string) => call<InteractionDetails>(`${interaction(uid)}/details`),
  /** Continues the app's sign-in as the signed-in person; resolves to where the browser goes next. */
  continueSignIn: (uid: string) => call<{ redirect_to: string }>(`${interaction(uid)}/login`, "POST", {}),
  decide: (uid: string, decision: "allow" | "deny") =>
    call<{ redirect_to: string }>(`${interaction(uid)}/consent`, "POST", { decision }),
  connectedApps: () => call<{ apps: ConnectedApp[] }>("/api/auth/connected-apps"),
  disconnect: (clientId: string) =>
    call<{ disconnected: true }>(`/api/auth/connected-apps/${encodeURIComponent(clientId)}`, "DELETE"),
};

/** What a scope lets an app see, in words for the consent page (the scope itself when unknown). */
export function describeScope(scope: string): string {
  const key = `interaction.scopes.${scope}`;
  return i18n.exists(key) ? i18n.t(key) : scope;
}
