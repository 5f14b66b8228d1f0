import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli.js";
import { createSharedDatabase } from "../support/database.js";
import { PUBLIC_URL, TEST_SECRET_KEY } from "../support/harness.js";

describe("latchkey admin-keys and webhooks commands", () => {
  let shared: { url: string; drop(): Promise<void> };
  let env: Record<string, string>;
  beforeEach(async () => {
    shared = await createSharedDatabase();
    env = {
      NODE_ENV: "test",
      SECRET_KEY: TEST_SECRET_KEY,
      PUBLIC_URL,
      DATABASE_URL: shared.url,
      LOG_LEVEL: "silent",
    };
  });
  afterEach(async () => {
    await shared.drop();
  });

  async function run(...argv: string[]) {
    const info: string[] = [];
    const error: string[] = [];
    const code = await runCli(argv, env, {
      info: (line) => info.push(line),
      error: (line) => error.push(line),
    });
    return { code, info, error };
  }

  it("creates an admin key shown once as JSON, lists it without the key, and revokes it", async () => {
    const created = await run("admin-keys", "create", "--name", "support desk", "--json");
    expect(created.code).toBe(0);
    const { id, key, name } = JSON.parse(created.info.join(""));
    expect(name).toBe("support desk");
    expect(key).toMatch(new RegExp(`^lk_admin_${id}_[A-Za-z0-9_-]{43}$`));
    const listed = await run("admin-keys", "list");
    expect(listed.info.join("\n")).toContain(id);
    expect(listed.info.join("\n")).not.toContain(key);
    expect((await run("admin-keys", "revoke", id)).code).toBe(0);
    expect((await run("admin-keys", "list")).info.join("\n")).toMatch(/revoked/);
    expect((await run("admin-keys", "revoke", id)).code).toBe(1);
  });

  it("refuses admin-keys create without --name, and unknown options", async () => {
    expect((await run("admin-keys", "create")).code).toBe(1);
    expect((await run("admin-keys", "create", "--name", "x", "--colour", "red")).code).toBe(1);
  });

  it("adds, lists, rotates and removes a webhook endpoint", async () => {
    const added = await run(
      "webhooks",
      "add",
      "--url",
      "https://hooks.example.com/in",
      "--event",
      "user.created",
      "--event",
      "session.created",
      "--json",
    );
    expect(added.code).toBe(0);
    const { id, secret, events } = JSON.parse(added.info.join(""));
    expect(secret).toMatch(/^whsec_/);
    expect(events).toEqual(["user.created", "session.created"]);
    expect((await run("webhooks", "list")).info.join("\n")).toContain(id);
    const rotated = await run("webhooks", "rotate-secret", id, "--json");
    expect(JSON.parse(rotated.info.join("")).secret).not.toBe(secret);
    expect((await run("webhooks", "remove", id)).code).toBe(0);
    expect((await run("webhooks", "list")).info).toEqual(["no webhook endpoints"]);
    const unknown = await run(
      "webhooks",
      "add",
      "--url",
      "https://hooks.example.com/in",
      "--event",
      "user.hacked",
    );
    expect(unknown.code).toBe(1);
  });
});
