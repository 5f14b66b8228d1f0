import type { Browser, BrowserContextOptions } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { launchChromium, openVisitor, type Visitor } from "./browser.js";
import { type LatchkeyServer, startLatchkey } from "./server.js";
import { type SmtpSink, startSmtpSink } from "./smtp-sink.js";

/** Short, so the resend test waits seconds, not half a minute. */
export const SEND_COOLDOWN_SECONDS = 3;

/**
 * The server as the quick start runs it, with real SMTP and the rate limits on. Only the
 * per-IP limits are raised: every request of the run comes from 127.0.0.1.
 */
const serverEnv = {
  RATE_LIMITS: "on",
  SEND_COOLDOWN_SECONDS: String(SEND_COOLDOWN_SECONDS),
  SENDS_PER_IP_PER_MINUTE: "1000",
  VERIFIES_PER_IP_PER_MINUTE: "1000",
  REFRESHES_PER_IP_PER_MINUTE: "1000",
};

export interface E2e {
  readonly baseUrl: string;
  readonly sink: SmtpSink;
  readonly browser: Browser;
  /** A second server without SMTP_URL (dev mailbox on), when asked for with `devMailbox`. */
  readonly devServer: LatchkeyServer;
  /** A new browser profile; closed, and checked for CSP violations and script errors, after the test. */
  visitor(options?: BrowserContextOptions): Promise<Visitor>;
}

/**
 * Per test file: an SMTP sink, `node dist/server.js` sending to it, and one Chromium;
 * all stopped after the file. Call inside the file's `describe`; `env` adds settings
 * (APP_NAME, OTP_LENGTH…) to both servers.
 */
export function useE2e(options: { devMailbox?: boolean; env?: Record<string, string> } = {}): E2e {
  let sink: SmtpSink | undefined;
  let server: LatchkeyServer | undefined;
  let devServer: LatchkeyServer | undefined;
  let browser: Browser | undefined;
  let visitors: Visitor[] = [];

  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`e2e environment: ${name} is not running`);
    return value;
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    [server, devServer, browser] = await Promise.all([
      startLatchkey({ smtpUrl: sink.url, env: { ...serverEnv, ...options.env } }),
      options.devMailbox ? startLatchkey({ env: { ...serverEnv, ...options.env } }) : undefined,
      launchChromium(),
    ]);
  });

  beforeEach((context) => {
    context.onTestFailed(() => {
      if (server?.output()) console.error(`server output:\n${server.output()}`);
    });
  });

  afterEach(async () => {
    const problems = visitors.flatMap((visitor) => visitor.problems);
    await Promise.all(visitors.map((visitor) => visitor.context.close()));
    visitors = [];
    expect(problems, "CSP violations, script errors or non-local requests").toEqual([]);
  });

  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.stop(), devServer?.stop(), sink?.close()]);
  });

  return {
    get baseUrl() {
      return started(server, "the server").baseUrl;
    },
    get sink() {
      return started(sink, "the SMTP sink");
    },
    get browser() {
      return started(browser, "Chromium");
    },
    get devServer() {
      return started(devServer, "the dev-mailbox server");
    },
    async visitor(contextOptions) {
      const visitor = await openVisitor(started(browser, "Chromium"), contextOptions);
      visitors.push(visitor);
      return visitor;
    },
  };
}
