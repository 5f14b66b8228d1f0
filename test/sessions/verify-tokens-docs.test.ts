import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASYMMETRIC_ALGORITHMS } from "../../src/sessions/signing-keys.js";
import { createTestApp, type TestApp } from "../support/harness.js";
import { signInForTokens } from "./helpers.js";

/**
 * The examples of docs/verify-tokens.md, taken from the page itself and run against a
 * Latchkey that listens for real, once per JWT_ALGORITHM. Python runs on the system's
 * /usr/bin/python3 with PyJWT (`apt-get install python3-jwt python3-cryptography`).
 */

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const page = readFileSync("docs/verify-tokens.md", "utf8");

function example(name: string): string {
  const match = new RegExp(`<!-- tested: ${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``).exec(page);
  if (!match?.[1]) throw new Error(`docs/verify-tokens.md has no example marked "tested: ${name}"`);
  return match[1];
}

function pythonProblem(): string | undefined {
  const probe = spawnSync(PYTHON, ["-c", "import jwt, cryptography"], { encoding: "utf8" });
  if (probe.error) return `${PYTHON} is missing`;
  return probe.status === 0
    ? undefined
    : "PyJWT is missing (apt-get install -y python3-jwt python3-cryptography)";
}
const noPython = pythonProblem();
if (noPython) console.warn(`\n⚠ docs/verify-tokens.md Python examples skipped: ${noPython}\n`);
const pythonTitle = (title: string) => (noPython ? `${title} (skipped: ${noPython})` : title);

// Inside the repository, so the Node example finds `jose` in node_modules.
const scratch = mkdtempSync(join(process.cwd(), ".verify-tokens-"));
const nodeExample = join(scratch, "verify-latchkey.mjs");
const pythonExample = join(scratch, "verify_latchkey.py");
const pythonHs256 = join(scratch, "verify_hs256.py");
writeFileSync(nodeExample, example("node"));
writeFileSync(pythonExample, example("python"));
writeFileSync(
  pythonHs256,
  [
    "import json, os, sys",
    "import jwt",
    "token, JWT_SECRET = sys.argv[1], os.environ['JWT_SECRET']",
    example("python-hs256"),
    "print(json.dumps(claims))",
  ].join("\n"),
);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a verifier; resolves to its parsed claims, or to the refusal it printed. */
async function verifyWith(command: string, file: string, token: string, env: Record<string, string>) {
  try {
    const { stdout } = await run(command, [file, token], {
      env: { ...process.env, ...env },
      timeout: 20_000,
    });
    return { claims: JSON.parse(stdout) as Record<string, unknown> };
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    if (typeof failure.code !== "number") throw error;
    return { refused: failure.stderr ?? "" };
  }
}

function tamper(token: string): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url");
  return `${header}.${forged}.${signature}`;
}

describe.each(ASYMMETRIC_ALGORITHMS)("verifying %s tokens as the docs show", (algorithm) => {
  let latchkey: TestApp;
  let env: Record<string, string>;
  let token: string;

  beforeAll(async () => {
    // Real time: the verifiers check expiry with their own clocks.
    latchkey = await createTestApp({ env: { JWT_ALGORITHM: algorithm }, clockStart: Date.now() });
    await latchkey.app.listen({ port: 0, host: "127.0.0.1" });
    env = {
      LATCHKEY_URL: `http://127.0.0.1:${(latchkey.app.server.address() as AddressInfo).port}`,
      LATCHKEY_ISSUER: latchkey.config.tokens.issuer,
      LATCHKEY_AUDIENCE: latchkey.config.tokens.audience,
      LATCHKEY_JWT_ALGORITHM: algorithm,
    };
    token = (await signInForTokens(latchkey, "alice@example.com")).access_token;
  });
  afterAll(async () => latchkey.close());

  it("Node with jose's createRemoteJWKSet accepts the token and reads its user", async () => {
    const result = await verifyWith(process.execPath, nodeExample, token, env);
    expect(result.claims?.sub).toBe(decodeJwt(token).sub);
  });

  it("Node with jose refuses a tampered token", async () => {
    expect((await verifyWith(process.execPath, nodeExample, tamper(token), env)).refused).toMatch(/refused/);
  });

  it.skipIf(noPython)(pythonTitle("Python with PyJWT's PyJWKClient accepts the token"), async () => {
    const result = await verifyWith(PYTHON, pythonExample, token, env);
    expect(result.claims?.sub).toBe(decodeJwt(token).sub);
    expect(result.claims?.sid).toEqual(expect.any(String));
  });

  it.skipIf(noPython)(pythonTitle("Python with PyJWT refuses a tampered token"), async () => {
    expect((await verifyWith(PYTHON, pythonExample, tamper(token), env)).refused).toMatch(/refused/);
  });
});

describe("HS256 mode as the docs show", () => {
  const JWT_SECRET = "a-jwt-secret-that-is-at-least-32-bytes-long";
  let latchkey: TestApp;
  let token: string;

  beforeAll(async () => {
    latchkey = await createTestApp({ env: { JWT_SECRET }, clockStart: Date.now() });
    token = (await signInForTokens(latchkey, "alice@example.com")).access_token;
  });
  afterAll(async () => latchkey.close());

  it.skipIf(noPython)(pythonTitle("PyJWT decodes the token with the audience"), async () => {
    const result = await verifyWith(PYTHON, pythonHs256, token, { JWT_SECRET });
    expect(result.claims?.sub).toBe(decodeJwt(token).sub);
  });

  it.skipIf(noPython)(
    pythonTitle("the seed's decode call without an audience fails: Invalid audience"),
    async () => {
      const seedCall = join(scratch, "seed_decode.py");
      writeFileSync(
        seedCall,
        [
          "import os, sys, jwt",
          "try:",
          "    jwt.decode(sys.argv[1], os.environ['JWT_SECRET'], algorithms=['HS256'])",
          "except jwt.PyJWTError as error:",
          "    sys.exit(f'refused: {error}')",
        ].join("\n"),
      );
      expect((await verifyWith(PYTHON, seedCall, token, { JWT_SECRET })).refused).toMatch(/Invalid audience/);
    },
  );
});
