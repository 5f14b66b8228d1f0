// The server names the browser in mail with the same tables.
import { parseUserAgent as parseKnownNames } from "../../../src/http/user-agent.js";
import { t } from "./i18n.js";

export interface DeviceDescription {
  browser: string;
  os: string;
  kind: "mobile" | "tablet" | "desktop" | "other";
}

/** A rough, dependency-free reading of a User-Agent string: good enough to tell sessions apart. */
export function parseUserAgent(ua: string | null | undefined): DeviceDescription {
  if (!ua) return { browser: t("device.unknownBrowser"), os: "", kind: "other" };
  // An unknown agent is named as such, never echoed: a stranger chooses that text.
  const known = parseKnownNames(ua);
  const browser = known.browser ?? t("device.unknownBrowser");
  const os = known.os ?? "";
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
  return os ? t("device.on", { browser, os }) : browser;
}
