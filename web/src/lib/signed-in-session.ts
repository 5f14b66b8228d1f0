import { api } from "./api.js";
import { isApiError } from "./api-error.js";
import type { SignedInSession } from "./api-types.js";

/**
 * The visitor's session, or undefined when signed out. The access cookie lives 15 minutes
 * while the refresh cookie lives for days, so when /session says "nobody" we try one
 * refresh before believing it. Throws only when the server cannot be asked.
 */
export async function findSignedInSession(): Promise<SignedInSession | undefined> {
  const first = await api.session();
  if (first.email !== null) return first;
  try {
    await api.refresh();
  } catch (error) {
    if (isApiError(error) && error.status === 401) return undefined;
    throw error;
  }
  const second = await api.session();
  return second.email !== null ? second : undefined;
}
