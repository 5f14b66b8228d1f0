import { generateKeyPairSync, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Cbor, encodeCbor } from "../../bench/soft-authenticator.mjs";
import { createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";
import {
  addPasskey,
  auditEvents,
  createAuthenticator,
  expectError,
  PASSKEYS,
  registrationOptions,
} from "./helpers.js";

describe("adding a passkey", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp({ clockStart: Date.now() });
  });
  afterEach(async () => {
    await testApp.close();
  });

  async function signedIn(email: string) {
    const browser = createBrowser(testApp);
    await signIn(testApp, browser, email);
    return browser;
  }

  it("needs a signed-in user", async () => {
    const response = await createBrowser(testApp).post(`${PASSKEYS}/registration/options`, {});
    expectError(response, 401, "not_authenticated");
  });

  it("asks for a discoverable credential with user verification preferred, for this RP", async () => {
    const options = await registrationOptions(await signedIn("alice@example.com"));
    expect(options.rp).toEqual({ id: "localhost", name: "Latchkey" });
    expect(options.authenticatorSelection).toMatchObject({
      residentKey: "required",
      requireResidentKey: true,
      userVerification: "preferred",
    });
    expect(options.attestation).toBe("none");
  });

  it("gives the authenticator a random user handle, never the email or the user id", async () => {
    const browser = await signedIn("handle@example.com");
    const session = (await browser.get("/api/auth/session")).json();
    const first = await registrationOptions(browser);
    const user = first.user as { id: string; name: string };
    const handle = Buffer.from(user.id, "base64url").toString("utf8");
    expect(handle).not.toContain("handle@example.com");
    expect(user.id).not.toContain(session.user_id);
    expect(Buffer.from(user.id, "base64url")).toHaveLength(32);
    expect(((await registrationOptions(browser)).user as { id: string }).id).toBe(user.id);
  });

  it("stores the passkey with its name, the device it was added on, and records passkey_added", async () => {
    const browser = await signedIn("bob@example.com");
    const response = await addPasskey(browser, createAuthenticator(), {}, "Firefox on Linux");
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ name: "Firefox on Linux", synced: false, last_used_at: null });
    const list = await browser.get(PASSKEYS);
    expect(list.json().passkeys).toHaveLength(1);
    expect(await auditEvents(testApp, "passkey_added")).toHaveLength(1);
  });

  it("names a passkey after its provider when the AAGUID is known", async () => {
    const browser = await signedIn("icloud@example.com");
    const authenticator = createAuthenticator({
      isSynced: true,
      aaguid: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd",
    });
    const response = await addPasskey(browser, authenticator, {}, "Safari on macOS");
    expect(response.json()).toMatchObject({ name: "iCloud Keychain", synced: true, backed_up: true });
  });

  it("excludes the user's existing passkeys, and refuses one registered twice", async () => {
    const browser = await signedIn("twice@example.com");
    const authenticator = createAuthenticator();
    expect((await addPasskey(browser, authenticator)).statusCode).toBe(200);
    const options = await registrationOptions(browser);
    expect(options.excludeCredentials).toEqual([
      { id: authenticator.credentials[0]?.id, type: "public-key", transports: ["internal"] },
    ]);
    const again = await addPasskey(browser, authenticator, {
      ignoreExclusions: true,
      credentialId: authenticator.credentials[0]?.id,
    });
    expectError(again, 409, "passkey_already_registered");
  });

  it("refuses a credential id already registered to another user", async () => {
    const alice = await signedIn("alice2@example.com");
    const aliceKey = createAuthenticator();
    expect((await addPasskey(alice, aliceKey)).statusCode).toBe(200);
    const mallory = await signedIn("mallory@example.com");
    const response = await addPasskey(mallory, createAuthenticator(), {
      credentialId: aliceKey.credentials[0]?.id,
    });
    expectError(response, 409, "passkey_already_registered");
    const owner = await testApp.database.db
      .selectFrom("passkeys")
      .innerJoin("users", "users.id", "passkeys.user_id")
      .select("users.email")
      .where("credential_id", "=", aliceKey.credentials[0]?.id ?? "")
      .execute();
    expect(owner).toEqual([{ email: "alice2@example.com" }]);
  });

  it("refuses a replayed registration challenge", async () => {
    const browser = await signedIn("replay-reg@example.com");
    const options = await registrationOptions(browser);
    const ceremonyCookie = browser.jar.lk_passkey ?? "";
    const first = await browser.post(`${PASSKEYS}/registration/verify`, {
      response: createAuthenticator().register(options),
    });
    expect(first.statusCode).toBe(200);
    // An attacker who kept the ceremony cookie sends it again, with another new credential.
    browser.jar.lk_passkey = ceremonyCookie;
    const again = await browser.post(`${PASSKEYS}/registration/verify`, {
      response: createAuthenticator().register(options),
    });
    expectError(again, 400, "passkey_challenge_invalid");
  });

  it("refuses an expired registration challenge", async () => {
    const browser = await signedIn("late@example.com");
    const options = await registrationOptions(browser);
    testApp.clock.advance(5 * 60_000 + 1);
    const response = await browser.post(`${PASSKEYS}/registration/verify`, {
      response: createAuthenticator().register(options),
    });
    expectError(response, 400, "passkey_challenge_invalid");
  });

  it("refuses a registration challenge asked for by another session of the same user", async () => {
    const laptop = await signedIn("two-tabs@example.com");
    const options = await registrationOptions(laptop);
    testApp.clock.advance(31_000);
    const phone = await signedIn("two-tabs@example.com");
    phone.jar.lk_passkey = laptop.jar.lk_passkey ?? "";
    const response = await phone.post(`${PASSKEYS}/registration/verify`, {
      response: createAuthenticator().register(options),
    });
    expectError(response, 400, "passkey_challenge_invalid");
  });

  it("refuses a registration for another origin or RP id", async () => {
    const browser = await signedIn("evil-origin@example.com");
    const wrongOrigin = await addPasskey(browser, createAuthenticator(), { origin: "http://localhost:8001" });
    expectError(wrongOrigin, 400, "passkey_verification_failed");
    const wrongRp = await addPasskey(browser, createAuthenticator(), { rpId: "example.com" });
    expectError(wrongRp, 400, "passkey_verification_failed");
    expect((await browser.get(PASSKEYS)).json().passkeys).toHaveLength(0);
  });

  it("refuses a registration made in a cross-origin frame", async () => {
    const browser = await signedIn("framed@example.com");
    for (const clientDataExtras of [{ crossOrigin: true }, { topOrigin: "https://evil.example" }]) {
      const framed = await addPasskey(browser, createAuthenticator(), { clientDataExtras });
      expectError(framed, 400, "passkey_verification_failed");
    }
    expect((await browser.get(PASSKEYS)).json().passkeys).toHaveLength(0);
  });

  it("refuses a key no sign-in could use: off its curve, the wrong size, RSA under 2048 bits or with an even exponent", async () => {
    const browser = await signedIn("weak-key@example.com");
    const ec2 = (x: Buffer, y: Buffer) =>
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, x],
        [-3, y],
      ]);
    const rsa = (n: Buffer, e: Buffer) =>
      new Map<Cbor, Cbor>([
        [1, 3],
        [3, -257],
        [-1, n],
        [-2, e],
      ]);
    const { x, y } = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
    const offCurve = Buffer.from(y ?? "", "base64url");
    offCurve[31] = (offCurve[31] ?? 0) ^ 1;
    const rsaModulus = (bits: number) => Buffer.concat([Buffer.from([0xc1]), randomBytes(bits / 8 - 1)]);
    for (const key of [
      ec2(Buffer.from(x ?? "", "base64url"), offCurve),
      ec2(Buffer.from(x ?? "", "base64url").subarray(1), Buffer.from(y ?? "", "base64url")),
      rsa(rsaModulus(512), Buffer.from([1, 0, 1])),
      rsa(rsaModulus(2048), Buffer.from([2])),
    ]) {
      const response = await addPasskey(browser, createAuthenticator(), { attestedKey: encodeCbor(key) });
      expectError(response, 400, "passkey_verification_failed");
    }
    expect((await browser.get(PASSKEYS)).json().passkeys).toHaveLength(0);
  });

  it("refuses a P-256 key whose coordinate lost its leading zero byte, though it names the same point", async () => {
    const browser = await signedIn("short-coordinate@example.com");
    let jwk: JsonWebKey;
    do {
      jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
    } while (Buffer.from(jwk.x ?? "", "base64url")[0] !== 0);
    const key = new Map<Cbor, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x ?? "", "base64url").subarray(1)],
      [-3, Buffer.from(jwk.y ?? "", "base64url")],
    ]);
    const response = await addPasskey(browser, createAuthenticator(), { attestedKey: encodeCbor(key) });
    expectError(response, 400, "passkey_verification_failed");
  });

  it("refuses a credential id shorter than 16 bytes", async () => {
    const browser = await signedIn("short-id@example.com");
    const response = await addPasskey(browser, createAuthenticator(), {
      credentialId: randomBytes(15).toString("base64url"),
    });
    expectError(response, 400, "passkey_verification_failed");
  });

  it("refuses a response whose id is not the credential it attests", async () => {
    const browser = await signedIn("other-id@example.com");
    const options = await registrationOptions(browser);
    const response = createAuthenticator().register(options);
    const otherId = randomBytes(32).toString("base64url");
    const verify = await browser.post(`${PASSKEYS}/registration/verify`, {
      response: { ...response, id: otherId, rawId: otherId },
    });
    expectError(verify, 400, "passkey_verification_failed");
  });

  it("accepts an extra origin from WEBAUTHN_EXTRA_ORIGINS", async () => {
    await testApp.close();
    testApp = await createTestApp({
      clockStart: Date.now(),
      env: { WEBAUTHN_EXTRA_ORIGINS: "http://localhost:5173" },
    });
    const browser = await signedIn("vite@example.com");
    const response = await addPasskey(browser, createAuthenticator({ origin: "http://localhost:5173" }));
    expect(response.statusCode, response.body).toBe(200);
  });

  it("answers malformed responses with 422, never 500", async () => {
    const browser = await signedIn("garbage@example.com");
    await registrationOptions(browser);
    for (const response of [
      {},
      { id: "x", rawId: "x", type: "public-key", response: {} },
      {
        id: "A".repeat(20),
        rawId: "A".repeat(20),
        type: "public-key",
        response: { clientDataJSON: "!!", attestationObject: "" },
      },
    ]) {
      const answer = await browser.post(`${PASSKEYS}/registration/verify`, { response });
      expect(answer.statusCode).toBe(422);
    }
    const notJson = await browser.post(`${PASSKEYS}/registration/verify`, {
      response: {
        id: "A".repeat(20),
        rawId: "A".repeat(20),
        type: "public-key",
        response: { clientDataJSON: "AAAA", attestationObject: "AAAA" },
      },
    });
    expectError(notJson, 400, "passkey_challenge_invalid");
  });
});
