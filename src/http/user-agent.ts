/**
 * A rough, dependency-free reading of a User-Agent: enough to tell a person "Firefox on
 * Windows" asked, never a fingerprint. The web UI builds on it (web/src/lib/user-agent.ts),
 * so it must stay free of Node APIs.
 */
export interface BrowserAndSystem {
  browser: string | undefined;
  os: string | undefined;
}

const browsers: [RegExp, string][] = [
  [/\bEdgA?\//, "Edge"],
  [/\b(?:OPR|Opera)\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bCriOS\/|\bChrome\//, "Chrome"],
  [/\bChromium\//, "Chromium"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/\bcurl\//, "curl"],
  [/\bnode\b|\bundici\b/i, "Node.js"],
];

const systems: [RegExp, string][] = [
  [/\biPhone\b|\biPod\b/, "iOS"],
  [/\biPad\b/, "iPadOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

function firstMatch(userAgent: string, table: [RegExp, string][]): string | undefined {
  return table.find(([pattern]) => pattern.test(userAgent))?.[1];
}

/** Known names only: an unknown agent's own text is never echoed into mail or pages. */
export function parseUserAgent(userAgent: string | null | undefined): BrowserAndSystem {
  if (!userAgent) return { browser: undefined, os: undefined };
  const sample = userAgent.slice(0, 512);
  return { browser: firstMatch(sample, browsers), os: firstMatch(sample, systems) };
}
