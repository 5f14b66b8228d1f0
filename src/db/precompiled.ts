import type { Compilable, CompiledQuery, QueryResult } from "kysely";
import type { Db } from "./database.js";

/**
 * A query built and compiled once per database dialect, then run with new values. Kysely
 * builds an operation tree and compiles it to SQL on every call; for the statements a
 * sign-in runs a dozen times that was about a sixth of its CPU (docs/performance.md).
 *
 *     const findUser = precompiled<{ id: string }, UsersTable>((db, param) =>
 *       db.selectFrom("users").selectAll().where("id", "=", param("id")));
 *     const { rows } = await findUser.execute(db, { id });
 *
 * `param(name)` stands for one scalar value (not a list, not a value Kysely would inspect);
 * every value must be given when the query runs (`null`, never `undefined`).
 */

const PARAM_MARK = "\u0000latchkey-param\u0000";

type Slot = { name: string } | { constant: unknown };

interface Compiled<Row> {
  query: CompiledQuery<Row>;
  slots: Slot[];
}

export interface PrecompiledQuery<Params, Row> {
  execute(db: Db, params: Params): Promise<QueryResult<Row>>;
  /** The first row, or undefined. */
  takeFirst(db: Db, params: Params): Promise<Row | undefined>;
}

export function precompiled<Params extends object, Row>(
  build: (db: Db, param: <Name extends keyof Params & string>(name: Name) => Params[Name]) => Compilable<Row>,
): PrecompiledQuery<Params, Row> {
  // Transactions share their database's adapter, so one compilation serves both.
  const byDialect = new WeakMap<object, Compiled<Row>>();

  function compile(db: Db): Compiled<Row> {
    const query = build(db, (name) => `${PARAM_MARK}${name}` as never).compile();
    const slots = query.parameters.map((value): Slot => {
      if (typeof value === "string" && value.startsWith(PARAM_MARK))
        return { name: value.slice(PARAM_MARK.length) };
      return { constant: value };
    });
    return { query, slots };
  }

  function bind(slots: Slot[], params: Params): unknown[] {
    return slots.map((slot) => {
      if ("constant" in slot) return slot.constant;
      const value = (params as Record<string, unknown>)[slot.name];
      if (value === undefined) throw new TypeError(`precompiled query: no value for ${slot.name}`);
      return value;
    });
  }

  async function execute(db: Db, params: Params): Promise<QueryResult<Row>> {
    const adapter = db.getExecutor().adapter;
    let compiled = byDialect.get(adapter);
    if (!compiled) {
      compiled = compile(db);
      byDialect.set(adapter, compiled);
    }
    return db.executeQuery<Row>({ ...compiled.query, parameters: bind(compiled.slots, params) });
  }

  return {
    execute,
    takeFirst: async (db, params) => (await execute(db, params)).rows[0],
  };
}
