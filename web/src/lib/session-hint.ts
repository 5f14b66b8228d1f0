/**
 * The server sets a non-secret, script-readable `lk_signed_in=1` cookie next to the HttpOnly
 * refresh cookie and clears it with it. Without it this browser has no session to refresh,
 * so a signed-out page load asks nothing (and logs no 401).
 */
export const SESSION_HINT_COOKIE = "lk_signed_in";

export function hasSessionHint(cookies: string = document.cookie): boolean {
  return cookies.split(";").some((pair) => pair.trim() === `${SESSION_HINT_COOKIE}=1`);
}
