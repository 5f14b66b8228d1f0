function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const unit = value.charCodeAt(index);
    if (unit < 0x20 || unit === 0x7f) return true;
  }
  return false;
}

/**
 * Where to go after signing in: the `next` path if it stays on this origin, else the
 * dashboard. Only a single leading "/" is accepted, so "//evil.example", "/\evil.example"
 * and "https://evil.example" all fall back.
 */
export function safeNextPath(next: string | null | undefined, origin = window.location.origin): string {
  const fallback = "/dashboard";
  if (!next?.startsWith("/") || next.startsWith("//")) return fallback;
  // Browsers treat a backslash as "/" and drop tabs and newlines: "/\\evil.example" would leave.
  if (next.includes("\\") || hasControlCharacter(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  return url.pathname + url.search + url.hash;
}
