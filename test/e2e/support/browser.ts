import { existsSync } from "node:fs";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";

/** Debian's chromium, driven by playwright-core (no browser download). */
export const chromiumPath = process.env.LATCHKEY_CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = existsSync(chromiumPath);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    timeout: 30_000,
  });
}

export const userAgents = {
  desktop:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  phone:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
} as const;

/** A fresh browser profile: its own cookies and storage, like a separate device. */
export interface Visitor {
  readonly context: BrowserContext;
  readonly page: Page;
  /** CSP violations, script errors, unexpected console errors and non-local requests. */
  readonly problems: string[];
}

// The browser logs every 4xx answer to fetch(); the flows expect some (409 confirmation_required,
// 401 from /refresh when signed out), so those are not problems. Anything else logged as an
// error is, and a CSP violation is always logged as one.
const expectedConsoleError = /^Failed to load resource: the server responded with a status of 4\d\d\b/;

function isLocal(url: URL): boolean {
  // `localhost` too: WebAuthn refuses an IP address as its relying-party id (the passkey tests).
  return (
    url.hostname === "127.0.0.1" ||
    url.hostname === "localhost" ||
    url.protocol === "data:" ||
    url.protocol === "about:"
  );
}

function watch(page: Page, problems: string[]) {
  page.on("pageerror", (error) => problems.push(`${page.url()}: uncaught ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error" || expectedConsoleError.test(message.text())) return;
    problems.push(`${page.url()}: console error: ${message.text()}`);
  });
}

export async function openVisitor(browser: Browser, options: BrowserContextOptions = {}): Promise<Visitor> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    userAgent: userAgents.desktop,
    locale: "en-US",
    timezoneId: "UTC",
    ...options,
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const problems: string[] = [];
  // Only 127.0.0.1: anything else is a third-party resource, refused and reported.
  await context.route(
    (url) => !isLocal(url),
    (route) => {
      problems.push(`request to a non-local address: ${route.request().url()}`);
      return route.abort();
    },
  );
  context.on("page", (page) => watch(page, problems));
  const page = await context.newPage();
  return { context, page, problems };
}
