import type { StoredMail } from "../../src/mail/transports.js";
import { type FakeScalekit, type FakeScalekitOptions, startFakeScalekit } from "./fake-scalekit.js";
import { createTestApp, type TestApp } from "./harness.js";

export const providerNames = ["builtin", "scalekit"] as const;
export type ProviderName = (typeof providerNames)[number];

export interface ProviderTestApp extends TestApp {
  provider: ProviderName;
  /** The fake Scalekit the app talks to; undefined for the built-in provider. */
  scalekit: FakeScalekit | undefined;
}

export interface ProviderTestAppOptions {
  env?: Record<string, string>;
  /** Dashboard settings of the fake Scalekit (ignored for the built-in provider). */
  scalekit?: FakeScalekitOptions;
}

/**
 * The real app with the chosen provider. For Scalekit it starts the offline fake on the
 * app's steppable clock, points PASSWORDLESS_PROVIDER=scalekit and the SCALEKIT_* variables
 * at it, and delivers what the fake "mails" into the test mailbox, so `startSignIn`,
 * `mailbox.lastFor` and `linkTokenOf` work the same for both providers.
 */
export async function createProviderTestApp(
  provider: ProviderName,
  options: ProviderTestAppOptions = {},
): Promise<ProviderTestApp> {
  if (provider === "builtin") {
    return { ...(await createTestApp({ env: options.env })), provider, scalekit: undefined };
  }
  let testApp: TestApp | undefined;
  const fake = await startFakeScalekit({
    now: () => testApp?.clock.now() ?? Date.now(),
    onEmail: (email) => {
      const text = [
        email.code && `Your code: ${email.code}`,
        email.magicLink && `Sign in: ${email.magicLink}`,
      ]
        .filter(Boolean)
        .join("\n");
      void testApp?.mailbox.send({
        to: email.to,
        subject: "Sign in (Scalekit)",
        text,
        html: `<pre>${text}</pre>`,
        headers: {},
        code: email.code ?? undefined,
        link: email.magicLink ?? undefined,
      });
    },
    ...options.scalekit,
  });
  try {
    testApp = await createTestApp({
      env: {
        PASSWORDLESS_PROVIDER: "scalekit",
        SCALEKIT_ENVIRONMENT_URL: fake.url,
        SCALEKIT_CLIENT_ID: fake.clientId,
        SCALEKIT_CLIENT_SECRET: fake.clientSecret,
        ...options.env,
      },
    });
  } catch (error) {
    await fake.close();
    throw error;
  }
  const app = testApp;
  return {
    ...app,
    provider,
    scalekit: fake,
    async close() {
      await app.close();
      await fake.close();
    },
  };
}

/** What the landing page of an emailed link sends back: every parameter the link carries. */
export function linkParamsOf(mail: StoredMail): { link_token: string; auth_request_id?: string } {
  if (!mail.link) throw new Error("mail has no link");
  const params = new URL(mail.link).searchParams;
  const linkToken = params.get("link_token");
  if (!linkToken) throw new Error("link has no link_token");
  const authRequestId = params.get("auth_request_id");
  return authRequestId
    ? { link_token: linkToken, auth_request_id: authRequestId }
    : { link_token: linkToken };
}
