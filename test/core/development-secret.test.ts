import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bootstrap } from "../../src/bootstrap.js";

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe("the development SECRET_KEY generated on first start", () => {
  const root = mkdtempSync(join(tmpdir(), "latchkey-dev-secret-"));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("is written to DATA_DIR/secret.key, in a folder and a file only the server's user can open", async () => {
    const dataDir = join(root, "data");
    const started = await bootstrap({ NODE_ENV: "development", DATA_DIR: dataDir });
    await started.database.close();
    expect(started.generatedSecretAt).toBe(join(dataDir, "secret.key"));
    expect(readFileSync(join(dataDir, "secret.key"), "utf8").trim()).toBe(started.config.secretKey);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, "secret.key"))).toBe(0o600);
  });
});
