// Counts every SQLite statement the server runs and the time spent in it, by SQL text:
//   node scripts/profile-server.mjs --logins 8 "--node-options=--import ./scripts/sql-time-probe.mjs"
// On exit the server writes the table (runs, mean and longest µs, SQL) to $SQL_PROBE_FILE, or to
// latchkey-sql-<pid>.txt in the temporary folder. Wall time around better-sqlite3's run,
// get and all: in SQLite, including a commit's writes. See docs/performance.md.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SQLite = createRequire(join(process.cwd(), "package.json"))("better-sqlite3");
const statsBySql = new Map();

function timed(sqlText, run) {
  return (...args) => {
    const startedAt = process.hrtime.bigint();
    try {
      return run(...args);
    } finally {
      const stats = statsBySql.get(sqlText) ?? { runs: 0, micros: 0, maxMicros: 0 };
      const micros = Number(process.hrtime.bigint() - startedAt) / 1000;
      stats.runs += 1;
      stats.micros += micros;
      stats.maxMicros = Math.max(stats.maxMicros, micros);
      statsBySql.set(sqlText, stats);
    }
  };
}

const prepare = SQLite.prototype.prepare;
SQLite.prototype.prepare = function prepareTimed(sqlText, ...rest) {
  const statement = prepare.call(this, sqlText, ...rest);
  for (const method of ["run", "get", "all"])
    statement[method] = timed(sqlText, statement[method].bind(statement));
  return statement;
};

process.on("exit", () => {
  const rows = [...statsBySql].sort((a, b) => b[1].micros - a[1].micros);
  const totalMs = rows.reduce((sum, [, stats]) => sum + stats.micros, 0) / 1000;
  const lines = [`SQL total ${Math.round(totalMs)} ms`, "   runs  mean µs   max µs  SQL"];
  for (const [sqlText, { runs, micros, maxMicros }] of rows) {
    const columns = [runs, Math.round(micros / runs), Math.round(maxMicros)];
    lines.push(`${columns.map((value) => String(value).padStart(8)).join(" ")}  ${sqlText.slice(0, 140)}`);
  }
  writeFileSync(
    process.env.SQL_PROBE_FILE ?? join(tmpdir(), `latchkey-sql-${process.pid}.txt`),
    `${lines.join("\n")}\n`,
  );
});
