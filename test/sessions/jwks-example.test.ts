import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExampleServer } from "../../examples/verify-with-jwks.js";
import { canonicalizeEmail } from "../../src/users/index.js";
import { createTestApp, type TestApp } from "../support/harness.js";

/**
 * examples/verify-with-jwks.ts against a Latchkey listening for real: the example only
 * knows Latchkey's URL and fetches the JWKS over HTTP like any other service would.
 */
describe("verifying Latchkey tokens in another service through the JWKS", () => {
  let latchkey: TestApp;
  let latchkeyUrl: string;
  let example: Server;
  let exampleUrl: string;

  beforeAll(async () => {
    // Real time: the example verifies with its own clock.
    latchkey = await createTestApp({ clockStart: Date.now() });
    await latchkey.app.listen({ port: 0, host: "127.0.0.1" });
    latchkeyUrl = `http://127.0.0.1:${(latchkey.app.server.address() as AddressInfo).port}`;
    example = createExampleServer({
      latchkeyUrl,
      issuer: latchkey.config.tokens.issuer,
      audience: latchkey.config.tokens.audience,
    });
    await new Promise<void>((resolve) => example.listen(0, "127.0.0.1", resolve));
    exampleUrl = `http://127.0.0.1:${(example.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => example.close(resolve));
    await latchkey.close();
  });

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${latchkeyUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  /** Signs in over HTTP as a Bearer client; the code comes from the test mailbox. */
  async function signIn(email: string) {
    const sent = await post("/api/auth/send-passwordless", { email });
    expect(sent.status).toBe(200);
    const mail = await latchkey.mailbox.waitFor(canonicalizeEmail(email) ?? email);
    const verified = await post("/api/auth/verify-otp", {
      code: mail.code,
      auth_request_id: sent.body.auth_request_id,
      token_delivery: "body",
    });
    expect(verified.status).toBe(200);
    return verified.body as { access_token: string; refresh_token: string };
  }

  const callExample = async (token?: string) => {
    const response = await fetch(`${exampleUrl}/hello`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: await response.json() };
  };

  it("accepts a Latchkey access token and names its user", async () => {
    const tokens = await signIn("alice@example.com");
    const session = await fetch(`${latchkeyUrl}/api/auth/session`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    }).then((response) => response.json());
    const response = await callExample(tokens.access_token);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ message: "hello", user_id: session.user_id });
  });

  it("rejects a tampered token", async () => {
    const tokens = await signIn("bob@example.com");
    const [header, payload, signature] = tokens.access_token.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url");
    const response = await callExample(`${header}.${forged}.${signature}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: "not_authenticated" });
  });

  it("rejects a missing token and a refresh token", async () => {
    expect((await callExample()).status).toBe(401);
    const tokens = await signIn("carol@example.com");
    expect((await callExample(tokens.refresh_token)).status).toBe(401);
  });

  it("keeps accepting a logged-out session's token until it expires (revocation needs /api/auth/session)", async () => {
    const tokens = await signIn("dave@example.com");
    const logout = await post("/api/auth/logout", {}, { authorization: `Bearer ${tokens.access_token}` });
    expect(logout.status).toBe(200);
    const latchkeySays = await fetch(`${latchkeyUrl}/api/auth/protected`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(latchkeySays.status).toBe(401);
    expect((await callExample(tokens.access_token)).status).toBe(200);
  });
});
