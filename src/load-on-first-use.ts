import { createRequire } from "node:module";

const requireFromHere = createRequire(import.meta.url);

/**
 * A CommonJS dependency loaded where it is first needed instead of at start-up: the SES
 * client, ioredis and pg are large (tens of MB of memory, hundreds of ms to load together)
 * and most installations use at most one of them (docs/performance.md). Node caches the
 * module, so later calls cost a lookup. Use it with a type-only import:
 * `loadOnFirstUse<typeof import("pg")>("pg")`.
 */
export function loadOnFirstUse<T>(name: string): T {
  return requireFromHere(name) as T;
}

/**
 * An ES module loaded by its first use, for the same reason. The promise is kept: importing
 * a module already loaded still goes through the loader, about 5 µs a call on a hot path.
 */
export function importOnFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}
