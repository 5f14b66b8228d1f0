import { decodeProtectedHeader } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/harness.js";
import { bearer, getWith, signInForTokens } from "./helpers.js";
import { createSharedDatabase, runCliAgainst } from "./shared-database.js";

/** `latchkey keys revoke KID` against a running server that shares its database. */
describe("revoking a leaked signing key", () => {
  let shared: Awaited<ReturnType<typeof createSharedDatabase>>;
  let server: TestApp;

  beforeEach(async () => {
    shared = await createSharedDatabase();
    server = await createTestApp({ env: { DATABASE_URL: shared.url }, clockStart: Date.now() });
  });
  afterEach(async () => {
    await server.close();
    await shared.drop();
  });

  const run = (...argv: string[]) => runCliAgainst(shared.url, ...argv);

  const kidOf = (token: string) => decodeProtectedHeader(token).kid;
  const published = async () =>
    ((await getWith(server, "/.well-known/jwks.json")).json().keys as { kid: string }[]).map(
      (key) => key.kid,
    );

  it("the running server refuses the key's tokens within a second, even ones it had already verified", async () => {
    const { access_token: token } = await signInForTokens(server, "alice@example.com");
    expect((await getWith(server, "/api/auth/protected", bearer(token))).statusCode).toBe(200);
    const result = await run("keys", "revoke", kidOf(token) ?? "");
    expect(result.code).toBe(0);
    expect(result.info).toEqual([expect.stringMatching(/^revoked: \S+ is out of the JWKS/)]);
    server.clock.advanceSeconds(1);
    const refused = await getWith(server, "/api/auth/protected", bearer(token));
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe("not_authenticated");
  });

  it("a token issued before the revocation and never presented is refused too", async () => {
    const { access_token: token } = await signInForTokens(server, "alice@example.com");
    expect((await run("keys", "revoke", kidOf(token) ?? "")).code).toBe(0);
    server.clock.advanceSeconds(1);
    const refused = await getWith(server, "/api/auth/protected", bearer(token));
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe("not_authenticated");
  });

  it("the key leaves the JWKS and a new key signs new tokens", async () => {
    const { access_token: token } = await signInForTokens(server, "alice@example.com");
    const leaked = kidOf(token) ?? "";
    await run("keys", "revoke", leaked);
    server.clock.advanceSeconds(1);
    await getWith(server, "/api/auth/protected", bearer(token)); // any verification notices the revocation
    expect(await published()).not.toContain(leaked);
    const fresh = await signInForTokens(server, "bob@example.com");
    expect(kidOf(fresh.access_token)).not.toBe(leaked);
    expect(await published()).toContain(kidOf(fresh.access_token));
    expect((await getWith(server, "/api/auth/protected", bearer(fresh.access_token))).statusCode).toBe(200);
  });

  it("keys list shows the key as revoked", async () => {
    const { kid } = server.services.keys.currentSigningKey();
    await run("keys", "revoke", kid);
    const list = await run("keys", "list");
    expect(list.info.find((line) => line.startsWith(kid))).toMatch(/ revoked /);
  });

  it("an unknown kid fails with a clear message and changes nothing", async () => {
    const before = await published();
    const result = await run("keys", "revoke", "no-such-kid");
    expect(result.code).toBe(1);
    expect(result.error).toEqual(['latchkey keys revoke: no EdDSA signing key has the kid "no-such-kid"']);
    expect(await published()).toEqual(before);
  });

  it("without a kid it prints the usage", async () => {
    const result = await run("keys", "revoke");
    expect(result.code).toBe(2);
    expect(result.error).toContainEqual(expect.stringMatching(/keys revoke KID/));
  });
});
