import type { AdapterPayload } from "oidc-provider";
import type { SessionState } from "../sessions/index.js";
import { currentScope, type OidcRequestScope } from "./request-scope.js";

/**
 * The provider's session follows the Latchkey session, so there is one sign-in: the
 * provider session records which Latchkey session signed it in, and counts as signed in
 * only while that session is live in this request's cookies. Logout, "sign out
 * everywhere" and a revoked session (on any instance) therefore end it at once.
 *
 * Signing out from an app is the one exception: there the linked session counts while it
 * is live in the database, even when its 15-minute access cookie has lapsed, so the person
 * is asked and the Latchkey session really ends (see `OidcRequestScope.findSessionToSignOut`).
 */
const LINK = "latchkeySessionId";

type SessionPayload = AdapterPayload & { [LINK]?: string };

/** What makes a provider session signed in: hidden while its Latchkey session is not this request's. */
const SIGN_IN_FIELDS = new Set(["accountId", "loginTs", "amr", "acr", "authorizations", LINK]);

/**
 * Before a provider session is stored: remember the Latchkey session it belongs to. A
 * sign-in hidden when it was read goes back in, so a visit while the access cookie has
 * lapsed (an app's silent `prompt=none` check) cannot erase the link that signing out needs.
 */
export async function linkSessionPayload(id: string, payload: AdapterPayload): Promise<SessionPayload> {
  const scope = currentScope();
  if (!scope) return payload;
  if (!payload.accountId) {
    const hidden = scope.hiddenSignIns?.get(id);
    return hidden ? { ...payload, ...hidden } : payload;
  }
  // The browser's cookie may hold someone else's session by now: link the account's own.
  const held = [await scope.latchkeySession(), scope.linkedSession];
  const own = held.find((session) => session?.userId === payload.accountId);
  return own ? { ...payload, [LINK]: own.sessionId } : payload;
}

/** Whether a Latchkey session is live (not ended, not expired, its account not blocked). */
export type LiveSessionLookup = (sessionId: string) => Promise<SessionState | undefined>;

/**
 * After a provider session is read: signed in only while its Latchkey session is live.
 * In the browser that session must be this request's own; on the back channel (the token
 * and userinfo endpoints, which carry no cookies) it must still be live in the database,
 * so an app's token bound to the session (no offline_access) dies when the person signs
 * out of Latchkey, on any path.
 */
export async function resolveSessionPayload(
  id: string,
  payload: SessionPayload,
  findLiveSession: LiveSessionLookup,
): Promise<AdapterPayload> {
  if (!payload.accountId) return payload;
  const scope = currentScope();
  if (!scope?.isBrowserRequest) {
    const linked = payload[LINK] ? await findLiveSession(payload[LINK]) : undefined;
    return linked?.userId === payload.accountId ? payload : hideSignIn(scope, id, payload);
  }
  const live = await scope.latchkeySession();
  if (live && live.sessionId === payload[LINK] && live.userId === payload.accountId) return payload;
  const linked = payload[LINK] ? await scope.findSessionToSignOut(payload[LINK]) : null;
  if (linked && linked.userId === payload.accountId) {
    scope.linkedSession = linked;
    return payload;
  }
  return hideSignIn(scope, id, payload);
}

/** The session without its sign-in, kept aside so a later store in this request puts it back. */
function hideSignIn(
  scope: OidcRequestScope | undefined,
  id: string,
  payload: SessionPayload,
): AdapterPayload {
  const rest: Record<string, unknown> = {};
  const hidden: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(payload)) {
    (SIGN_IN_FIELDS.has(field) ? hidden : rest)[field] = value;
  }
  if (scope) {
    scope.hiddenSignIns ??= new Map();
    scope.hiddenSignIns.set(id, hidden);
  }
  return rest as AdapterPayload;
}
