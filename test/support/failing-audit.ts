import { sql } from "kysely";
import type { TestApp } from "./harness.js";

/**
 * Makes the database refuse audit rows of one event type, as a full disk or a broken audit
 * table would, until the returned function is called. A trigger, so the failure happens
 * where it would in production: inside the statement, inside the caller's transaction.
 */
export async function failAuditWrites(testApp: TestApp, type: string): Promise<() => Promise<void>> {
  const { db, dialect } = testApp.database;
  if (!/^[a-z_]+$/.test(type)) throw new Error(`not an event type: ${type}`);
  if (dialect === "sqlite") {
    await sql
      .raw(
        `create trigger fail_audit before insert on audit_events when new.type = '${type}'
         begin select raise(abort, 'audit store unavailable'); end`,
      )
      .execute(db);
    return async () => void (await sql.raw("drop trigger fail_audit").execute(db));
  }
  await sql
    .raw(
      `create function fail_audit() returns trigger language plpgsql as $$
       begin raise exception 'audit store unavailable'; end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger fail_audit before insert on audit_events for each row
       when (new.type = '${type}') execute function fail_audit()`,
    )
    .execute(db);
  return async () => {
    await sql.raw("drop trigger fail_audit on audit_events").execute(db);
    await sql.raw("drop function fail_audit()").execute(db);
  };
}
