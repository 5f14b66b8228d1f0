export interface DeviceDescription {
  browser: string;
  os: string;
  kind: "mobile" | "tablet" | "desktop" | "other";
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

function firstMatch(ua: string, table: [RegExp, string][]): string | undefined {
  return table.find(([pattern]) => pattern.test(ua))?.[1];
}

/** A rough, dependency-free reading of a User-Agent string: good enough to tell sessions apart. */
export function parseUserAgent(ua: string | null | undefined): DeviceDescription {
  if (!ua) return { browser: "Unknown browser", os: "", kind: "other" };
  const browser = firstMatch(ua, browsers) ?? ua.split(/[\s/]/)[0] ?? "Unknown browser";
  const os = firstMatch(ua, systems) ?? "";
  const kind = /\biPad\b|\bTablet\b/.test(ua)
    ? "tablet"
    : /\bMobile\b|\biPhone\b|\bAndroid\b/.test(ua)
      ? "mobile"
      : os
        ? "desktop"
        : "other";
  return { browser, os, kind };
}

/** "Firefox on Windows", "Safari on iOS", "curl". */
export function describeUserAgent(ua: string | null | undefined): string {
  const { browser, os } = parseUserAgent(ua);
  return os ? `${browser} on ${os}` : browser;
}
