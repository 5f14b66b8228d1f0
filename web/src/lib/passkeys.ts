import {
  type AuthenticationResponseJSON,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
  WebAuthnError,
} from "@simplewebauthn/browser";
import { request } from "./api.js";
import { isApiError } from "./api-error.js";
import { t } from "./i18n.js";
import { describeError } from "./messages.js";
import { describeUserAgent } from "./user-agent.js";

/** The passkey API and the browser ceremonies around it. The ceremony binding is an httpOnly cookie. */

const base = "/api/auth/passkeys";

export interface PasskeySummary {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  /** A synced passkey (password manager, iCloud Keychain…) rather than one bound to this device. */
  synced: boolean;
  backed_up: boolean;
  aaguid: string | null;
  transports: string[];
}

export interface PasskeySignInResult {
  email: string;
  user_id: string;
  amr: string[];
  step_up: boolean;
}

const post = <T>(path: string, body: unknown) => request<T>(`${base}${path}`, { method: "POST", body });

export const passkeyApi = {
  list: () => request<{ passkeys: PasskeySummary[] }>(base),
  rename: (id: string, name: string) =>
    request<PasskeySummary>(`${base}/${encodeURIComponent(id)}`, { method: "PATCH", body: { name } }),
  remove: (id: string) =>
    request<{ removed: true }>(`${base}/${encodeURIComponent(id)}`, { method: "DELETE" }),
};

export const supportsPasskeys = () => browserSupportsWebAuthn();

/** Creates a passkey on this device for the signed-in user. */
export async function addPasskey(): Promise<PasskeySummary> {
  const { options } = await post<{ options: PublicKeyCredentialCreationOptionsJSON }>(
    "/registration/options",
    {},
  );
  const response = await startRegistration({ optionsJSON: options });
  return post("/registration/verify", { response, name: describeUserAgent(navigator.userAgent) });
}

/** Tells the authenticator the server no longer knows this passkey, where the browser can be told. */
async function signalUnknownPasskey(rpId: string | undefined, credentialId: string) {
  const signal = (
    window.PublicKeyCredential as unknown as {
      signalUnknownCredential?: (options: { rpId: string; credentialId: string }) => Promise<void>;
    }
  )?.signalUnknownCredential;
  if (!signal || !rpId) return;
  await signal.call(window.PublicKeyCredential, { rpId, credentialId }).catch(() => {});
}

async function verifyAssertion(
  options: PublicKeyCredentialRequestOptionsJSON,
  response: AuthenticationResponseJSON,
): Promise<PasskeySignInResult> {
  try {
    return await post<PasskeySignInResult>("/authentication/verify", { response });
  } catch (error) {
    if (isApiError(error) && error.code === "passkey_unknown") {
      await signalUnknownPasskey(options.rpId ?? window.location.hostname, response.id);
    }
    throw error;
  }
}

/**
 * Signs in (or, with `stepUp`, confirms the signed-in user) with a passkey. Any pending
 * autofill request is aborted first: a browser allows one WebAuthn request at a time.
 */
export async function signInWithPasskey({ stepUp = false } = {}): Promise<PasskeySignInResult> {
  WebAuthnAbortService.cancelCeremony();
  const { options } = await post<{ options: PublicKeyCredentialRequestOptionsJSON }>(
    "/authentication/options",
    {
      step_up: stepUp,
    },
  );
  const response = await startAuthentication({ optionsJSON: options });
  return verifyAssertion(options, response);
}

/**
 * Passkey autofill on the email field (conditional mediation), where supported. Resolves
 * when the person picks a passkey from the autofill list; stays pending otherwise, until
 * `cancelPasskeyAutofill()` or another ceremony aborts it.
 */
export async function signInWithPasskeyAutofill(): Promise<PasskeySignInResult | undefined> {
  if (!(await browserSupportsWebAuthnAutofill())) return undefined;
  const { options } = await post<{ options: PublicKeyCredentialRequestOptionsJSON }>(
    "/authentication/options",
    {},
  );
  const response = await startAuthentication({ optionsJSON: options, useBrowserAutofill: true });
  return verifyAssertion(options, response);
}

export const cancelPasskeyAutofill = () => WebAuthnAbortService.cancelCeremony();

/** An aborted request (autofill cancelled for the button's ceremony) is no error to show. */
export function isAbort(error: unknown): boolean {
  return (
    (error instanceof WebAuthnError && error.code === "ERROR_CEREMONY_ABORTED") ||
    (error instanceof Error && error.name === "AbortError")
  );
}

/** One sentence for the person at the keyboard. */
export function describePasskeyError(error: unknown): string {
  if (isApiError(error)) return describeError(error);
  if (error instanceof WebAuthnError && error.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") {
    return t("passkeys.errorRegistered");
  }
  if (error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError")) {
    return t("passkeys.errorCancelled");
  }
  return t("passkeys.errorUnsupported");
}

/** How this session was proven, from its RFC 8176 `amr`. */
export function describeSignInMethod(amr: readonly string[] | undefined): string {
  if (amr?.includes("swk")) return t("dashboard.method.synced");
  if (amr?.includes("hwk")) return t("dashboard.method.device");
  return t("dashboard.method.email");
}
