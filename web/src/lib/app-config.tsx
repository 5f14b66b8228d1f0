import { createContext, type ReactNode, useContext } from "react";
import { api } from "./api.js";
import type { PublicConfig } from "./api-types.js";
import { matchLocale, showLocale } from "./i18n.js";
import { hasSessionHint } from "./session-hint.js";

/**
 * What this server told the UI about itself (GET /api/auth/config). The defaults below are
 * the server's own defaults, used only when the server cannot be asked: the page still works.
 */
export const defaultAppConfig: PublicConfig = {
  app_name: "Latchkey",
  logo_url: null,
  accent_color: null,
  support_email: null,
  locale: "en",
  locales: ["en"],
  passwordless_type: "LINK_OTP",
  code_length: 6,
  code_ttl_seconds: 300,
  max_attempts: 5,
  resend_cooldown_seconds: 30,
  sign_up: true,
};

const AppConfigContext = createContext<PublicConfig>(defaultAppConfig);

export function AppConfigProvider({ config, children }: { config: PublicConfig; children: ReactNode }) {
  return <AppConfigContext.Provider value={config}>{children}</AppConfigContext.Provider>;
}

export function useAppConfig(): PublicConfig {
  return useContext(AppConfigContext);
}

export async function loadAppConfig(): Promise<PublicConfig> {
  return api.config().catch(() => defaultAppConfig);
}

const LOCALE_KEY = "latchkey.locale";

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** This device's choice from the switcher, else what the server negotiated (account, then Accept-Language). */
export function chooseLocale(config: PublicConfig): string {
  return matchLocale(storage()?.getItem(LOCALE_KEY)) ?? matchLocale(config.locale) ?? "en";
}

/** The switcher: show the language now, remember it here, and store it on the account when signed in. */
export async function switchLocale(locale: string): Promise<void> {
  storage()?.setItem(LOCALE_KEY, locale);
  await showLocale(locale);
  if (hasSessionHint()) await api.setLocale(locale).catch(() => {});
}

/** The accent colour as CSS custom properties (CSSOM, which the page CSP allows; no inline style attribute). */
export function applyBranding(config: PublicConfig, root: HTMLElement = document.documentElement): void {
  if (config.accent_color && /^#[0-9a-f]{6}$/i.test(config.accent_color)) {
    root.style.setProperty("--brand-accent", config.accent_color);
  }
}
