/**
 * Reads the magic-link token from the address bar and removes it at once, before any
 * request, so it never lingers in history, bookmarks, screenshots or a Referer header.
 */
export function takeLinkTokenFromAddressBar(location: Location = window.location): string | null {
  if (location.pathname.replace(/\/+$/, "") !== "/verify-magic-link") return null;
  const params = new URLSearchParams(location.search);
  const token = params.get("link_token") ?? params.get("linkToken");
  if (token === null) return null;
  params.delete("link_token");
  params.delete("linkToken");
  const query = params.toString();
  window.history.replaceState(window.history.state, "", `${location.pathname}${query ? `?${query}` : ""}`);
  return token.trim() === "" ? null : token;
}
