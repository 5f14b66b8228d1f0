/**
 * Picks the language of a page or a mail: the account's stored choice when it is one we
 * have, else the best match of the browser's Accept-Language, else the first supported one.
 * Matching is by primary subtag (`de-AT` → `de`), highest q first, in header order on ties.
 */
export function negotiateLocale(
  supported: readonly string[],
  acceptLanguage: string | undefined,
  stored?: string | null,
): string {
  if (stored && supported.includes(stored)) return stored;
  for (const tag of preferredTags(acceptLanguage)) {
    const primary = tag.split("-")[0]!;
    if (supported.includes(primary)) return primary;
  }
  return supported[0]!;
}

/** The header's language tags, lower-cased, best first; `*` and q=0 entries are dropped. */
function preferredTags(acceptLanguage: string | undefined): string[] {
  if (!acceptLanguage) return [];
  return acceptLanguage
    .slice(0, 512)
    .split(",")
    .map((part, index) => {
      const [tag = "", ...parameters] = part.trim().toLowerCase().split(";");
      const q = parameters.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter(({ tag, weight }) => weight > 0 && /^[a-z]{1,8}(-[a-z0-9]{1,8})*$/.test(tag))
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map(({ tag }) => tag);
}
