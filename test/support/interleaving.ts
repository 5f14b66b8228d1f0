import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";
import type { DatabaseHandle } from "../../src/db/database.js";

/**
 * better-sqlite3 answers synchronously, so without help "parallel" requests on SQLite run
 * one after another and a race test can never see a race. This plugin hands the event
 * loop back (a macrotask) after every query, as a networked database does, so parallel
 * requests interleave between their queries and a check-then-write bug shows on SQLite
 * as it does on PostgreSQL.
 */
export class YieldAfterEachQuery implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return result;
  }
}

/** The handle with its queries interleaving; PostgreSQL already interleaves on its own. */
export function interleaving(handle: DatabaseHandle): DatabaseHandle {
  if (handle.dialect !== "sqlite") return handle;
  return { ...handle, db: handle.db.withPlugin(new YieldAfterEachQuery()) };
}
