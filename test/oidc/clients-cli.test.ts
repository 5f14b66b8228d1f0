import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli.js";
import { createPostgresSchema, testDatabaseKind } from "../support/database.js";
import { PUBLIC_URL, TEST_SECRET_KEY } from "../support/harness.js";

describe("latchkey clients", () => {
  let drop: () => Promise<void>;
  let env: Record<string, string>;

  beforeEach(async () => {
    let url: string;
    if (testDatabaseKind === "postgres") {
      const schema = await createPostgresSchema();
      url = schema.url;
      drop = schema.drop;
    } else {
      const directory = mkdtempSync(join(tmpdir(), "latchkey-clients-"));
      url = `sqlite:${join(directory, "latchkey.db")}`;
      drop = async () => rmSync(directory, { recursive: true, force: true });
    }
    env = {
      NODE_ENV: "test",
      SECRET_KEY: TEST_SECRET_KEY,
      PUBLIC_URL,
      DATABASE_URL: url,
      LOG_LEVEL: "silent",
    };
  });
  afterEach(() => drop());

  async function run(...argv: string[]) {
    const lines = { info: [] as string[], error: [] as string[] };
    const code = await runCli(argv, env, {
      info: (line) => lines.info.push(line),
      error: (line) => lines.error.push(line),
    });
    return { code, ...lines };
  }

  it("add --json prints the client id, its secret once and the auth method; list never shows the secret", async () => {
    const added = await run(
      "clients",
      "add",
      "--name",
      "Acme Docs",
      "--redirect-uri",
      "https://docs.example/cb",
      "--redirect-uri",
      "https://docs.example/cb2",
      "--post-logout-redirect-uri",
      "https://docs.example/",
      "--json",
    );
    expect(added.code).toBe(0);
    const client = JSON.parse(added.info[0] ?? "{}");
    expect(client).toMatchObject({
      client_name: "Acme Docs",
      token_endpoint_auth_method: "client_secret_basic",
      redirect_uris: ["https://docs.example/cb", "https://docs.example/cb2"],
    });
    expect(client.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listed = await run("clients", "list");
    expect(listed.info.join("\n")).toContain(client.client_id);
    expect(listed.info.join("\n")).not.toContain(client.client_secret);
  });

  it("a public client has no secret and authenticates with none", async () => {
    const added = await run(
      "clients",
      "add",
      "--name",
      "CLI",
      "--redirect-uri",
      "http://127.0.0.1/cb",
      "--public",
      "--json",
    );
    const client = JSON.parse(added.info[0] ?? "{}");
    expect(client.client_secret).toBeUndefined();
    expect(client.token_endpoint_auth_method).toBe("none");
  });

  it("refuses EdDSA ID tokens when the access tokens are not EdDSA, whose keys they would use", async () => {
    env.JWT_ALGORITHM = "ES256";
    const args = ["clients", "add", "--name", "Acme", "--redirect-uri", "https://app.example/cb"];
    const refused = await run(...args, "--id-token-alg", "EdDSA");
    expect(refused.code).toBe(1);
    expect(refused.error.join("\n")).toContain("EdDSA ID tokens need JWT_ALGORITHM=EdDSA");
    expect((await run(...args, "--id-token-alg", "ES256")).code).toBe(0);
  });

  it("refuses a redirect URI that is not https, loopback http or an app scheme", async () => {
    const added = await run("clients", "add", "--name", "Bad", "--redirect-uri", "http://docs.example/cb");
    expect(added.code).toBe(1);
    expect(added.error.join("\n")).toContain("use https");
  });

  it("rotate-secret prints a new secret; remove deletes the client", async () => {
    const { client_id: id, client_secret: first } = JSON.parse(
      (await run("clients", "add", "--name", "App", "--redirect-uri", "https://app.example/cb", "--json"))
        .info[0] ?? "{}",
    );
    const rotated = await run("clients", "rotate-secret", id);
    expect(rotated.code).toBe(0);
    expect(rotated.info[0]).not.toContain(first);
    expect((await run("clients", "remove", id)).code).toBe(0);
    expect((await run("clients", "list")).info.join("\n")).not.toContain(id);
    expect((await run("clients", "remove", id)).code).toBe(1);
  });
});
