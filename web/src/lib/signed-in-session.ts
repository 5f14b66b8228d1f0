import { api } from "./api.js";
import { isApiError } from "./api-error.js";
import type { SignedInSession } from "./api-types.js";
import { hasSessionHint } from "./session-hint.js";

export type SessionCheck =
  | { session: SignedInSession; endedElsewhere?: undefined }
  | { session: undefined; endedElsewhere: boolean };

/**
 * The visitor's session. The access cookie lives 15 minutes while the refresh cookie lives
 * for days, so when /session says "nobody" we try one refresh before believing it — but
 * only when the hint cookie says this browser holds a refresh cookie, so a signed-out page
 * load logs no 401. A refused refresh with the hint present means the session was ended by
 * the server (signed out from another device, or revoked). Throws only when the server
 * cannot be asked.
 */
export async function checkSession(): Promise<SessionCheck> {
  const first = await api.session();
  if (first.email !== null) return { session: first };
  if (!hasSessionHint()) return { session: undefined, endedElsewhere: false };
  try {
    await api.refresh();
  } catch (error) {
    if (isApiError(error) && error.status === 401) return { session: undefined, endedElsewhere: true };
    throw error;
  }
  const second = await api.session();
  return second.email !== null ? { session: second } : { session: undefined, endedElsewhere: false };
}

/** The visitor's session, or undefined when signed out. */
export async function findSignedInSession(): Promise<SignedInSession | undefined> {
  return (await checkSession()).session;
}
