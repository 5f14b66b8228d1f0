import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bearer, getWith, postWith, signInForTokens } from "../sessions/helpers.js";
import { createTestApp, type TestApp } from "../support/harness.js";
import { createAuthenticator, expectError, PASSKEYS } from "./helpers.js";

describe("passkeys for Bearer (mobile) clients", () => {
  let testApp: TestApp;
  beforeEach(async () => {
    testApp = await createTestApp({ clockStart: Date.now() });
  });
  afterEach(async () => {
    await testApp.close();
  });

  it("adds a passkey with a Bearer token and the ceremony token in the body, then signs in with it", async () => {
    const { access_token } = await signInForTokens(testApp, "app@example.com");
    const options = await postWith(
      testApp,
      `${PASSKEYS}/registration/options`,
      { token_delivery: "body" },
      bearer(access_token),
    );
    expect(options.statusCode, options.body).toBe(200);
    expect(options.cookies).toHaveLength(0);
    const authenticator = createAuthenticator();
    const added = await postWith(
      testApp,
      `${PASSKEYS}/registration/verify`,
      {
        response: authenticator.register(options.json().options),
        ceremony_token: options.json().ceremony_token,
        name: "Pixel 8",
      },
      bearer(access_token),
    );
    expect(added.statusCode, added.body).toBe(200);
    const list = await getWith(testApp, PASSKEYS, bearer(access_token));
    expect(list.json().passkeys.map((passkey: { name: string }) => passkey.name)).toEqual(["Pixel 8"]);

    const signInOptions = await postWith(testApp, `${PASSKEYS}/authentication/options`, {
      token_delivery: "body",
    });
    const signedIn = await postWith(testApp, `${PASSKEYS}/authentication/verify`, {
      response: authenticator.authenticate(signInOptions.json().options),
      ceremony_token: signInOptions.json().ceremony_token,
      token_delivery: "body",
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(signedIn.json()).toMatchObject({ email: "app@example.com", token_type: "Bearer" });
  });

  it("refuses a verify whose ceremony token is missing or is another ceremony's", async () => {
    const { access_token } = await signInForTokens(testApp, "app2@example.com");
    const first = await postWith(
      testApp,
      `${PASSKEYS}/registration/options`,
      { token_delivery: "body" },
      bearer(access_token),
    );
    const second = await postWith(
      testApp,
      `${PASSKEYS}/registration/options`,
      { token_delivery: "body" },
      bearer(access_token),
    );
    const response = createAuthenticator().register(first.json().options);
    const missing = await postWith(
      testApp,
      `${PASSKEYS}/registration/verify`,
      { response },
      bearer(access_token),
    );
    expectError(missing, 400, "passkey_challenge_invalid");
    const swapped = await postWith(
      testApp,
      `${PASSKEYS}/registration/verify`,
      { response, ceremony_token: second.json().ceremony_token },
      bearer(access_token),
    );
    expectError(swapped, 400, "passkey_challenge_invalid");
  });
});
