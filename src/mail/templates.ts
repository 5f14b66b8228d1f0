import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Mustache from "mustache";
import { parseUserAgent } from "../http/user-agent.js";
import { type Catalogue, translateAll, translator } from "../i18n/catalogues.js";
import { SUPPORTED_LOCALES } from "../i18n/locales.js";
import { formatMailTimes } from "./mail-times.js";

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** Extra headers every transport sends (`Auto-Submitted`, `Content-Language`). */
  headers: Record<string, string>;
}

/** `INVITATION`: an administrator created the account and asked for a sign-in mail (no browser asked). */
export type MailTemplate = "SIGNIN" | "SIGNUP" | "NO_ACCOUNT" | "INVITATION";

/** What the outbox keeps (sealed) for one mail. Fields after `template` may be missing in rows queued by older versions. */
export interface SignInMailContent {
  /** The one-time code, when the challenge has one. */
  code: string | undefined;
  /** The magic link, when the challenge has one. */
  link: string | undefined;
  expiresInMinutes: number;
  /** `NO_ACCOUNT`: sign-up is closed and the address has no account; the mail says so and carries no secret. */
  template: MailTemplate;
  /** The language negotiated from the request's Accept-Language; an account's stored one wins at delivery. */
  locale?: string | undefined;
  /** Epoch ms of the request and of the challenge's expiry. */
  requestedAt?: number | undefined;
  expiresAt?: number | undefined;
  /** The requesting browser's User-Agent, parsed into a browser and system name when rendered. */
  userAgent?: string | undefined;
  /** An approximate place from a trusted proxy ("Berlin, DE"), never precise. */
  place?: string | undefined;
}

/** Each purpose has `<purpose>.subject|html|txt.mustache`; the names operators override. */
export const MAIL_PURPOSES = {
  SIGNIN: "sign-in",
  SIGNUP: "sign-up",
  NO_ACCOUNT: "no-account",
  INVITATION: "invitation",
} as const;
export type MailPurpose = (typeof MAIL_PURPOSES)[MailTemplate];

/** The catalogue section (`locales/<lang>/mail.json`) of each purpose's strings, `s` in templates. */
const CATALOGUE_SECTIONS: Record<MailTemplate, string> = {
  SIGNIN: "sign_in",
  SIGNUP: "sign_up",
  NO_ACCOUNT: "no_account",
  INVITATION: "invitation",
};

/** The built-in templates: `templates/mail/` at the repository root, two levels above src/mail and dist/mail. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL("../../templates/mail/", import.meta.url));

const DEFAULT_ACCENT_COLOR = "#4f46e5";

export interface MailSettings {
  appName: string;
  logoUrl?: string | undefined;
  accentColor?: string | undefined;
  supportEmail?: string | undefined;
  /** PUBLIC_URL: the site's address and host shown in every mail; never the request's Host. */
  publicUrl: URL;
  timeZone: string;
  codeInSubject: boolean;
  /** MAIL_TEMPLATES_DIR: files here replace the built-in ones, file by file. */
  templatesDir?: string | undefined;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** Plain text and the subject are not HTML: nothing is escaped there. */
const asIs = (value: unknown) => String(value);

function describeDevice(locale: string, userAgent: string | undefined): string {
  const t = translator(locale, "mail");
  const { browser, os } = parseUserAgent(userAgent);
  if (browser && os) return t("common.device", { browser, os });
  return browser ?? os ?? t("common.unknown_device");
}

/**
 * Everything a template can use (docs/mail-templates.md lists it): plain values, and `t`
 * (every string of the language's mail catalogue, placeholders filled) with `s`, the
 * purpose's own section of it.
 */
export function mailView(settings: MailSettings, content: SignInMailContent, locale: string, now: number) {
  const requestedAt = content.requestedAt ?? now;
  const expiresAt = content.expiresAt ?? requestedAt + content.expiresInMinutes * 60_000;
  const code = content.code || undefined;
  const values = {
    lang: locale,
    app_name: settings.appName,
    logo_url: settings.logoUrl,
    accent_color: settings.accentColor ?? DEFAULT_ACCENT_COLOR,
    support_email: settings.supportEmail,
    site_url: settings.publicUrl.origin,
    site_host: settings.publicUrl.host,
    code,
    link: content.link || undefined,
    code_in_subject: Boolean(code && settings.codeInSubject),
    /** False for an invitation: the administrator's tool is not a browser the reader should recognise. */
    show_request: content.template !== "INVITATION",
    device: describeDevice(locale, content.userAgent),
    place: content.place || undefined,
    ...formatMailTimes(settings.timeZone, { locale, requestedAt, expiresAt }),
  };
  const t = translateAll(locale, "mail", values);
  return { ...values, t, s: t[CATALOGUE_SECTIONS[content.template]] as Catalogue };
}

export type MailView = ReturnType<typeof mailView>;

type Kind = "subject" | "html" | "txt";

/**
 * Reads and caches templates. A name is looked up in the operator's folder (its language
 * subfolder first), then in the built-in one, so an operator overrides only what they change.
 */
function createTemplateFiles(templatesDir: string | undefined) {
  const folders = [templatesDir, DEFAULT_TEMPLATES_DIR].filter((dir): dir is string => Boolean(dir));
  const cache = new Map<string, string>();

  function read(name: string, locale: string): string {
    const key = `${locale}/${name}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const path = folders
      .flatMap((folder) => [join(folder, locale, name), join(folder, name)])
      .find((candidate) => existsSync(candidate));
    if (!path) throw new Error(`mail template ${name} not found`);
    const template = readFileSync(path, "utf8");
    cache.set(key, template);
    return template;
  }
  return { read };
}

export interface MailRenderer {
  render(content: SignInMailContent, locale: string): RenderedMail;
  /** Renders every purpose in every language once, so a broken override fails at startup, not in the outbox. */
  check(): void;
}

export function createMailRenderer(settings: MailSettings, now: () => number = Date.now): MailRenderer {
  const files = createTemplateFiles(settings.templatesDir);

  function renderPart(purpose: MailPurpose, kind: Kind, view: MailView, locale: string): string {
    const partialKind = kind === "html" ? "html" : "txt";
    const partials = (name: string) => files.read(`partials/${name}.${partialKind}.mustache`, locale);
    const template = files.read(`${purpose}.${kind}.mustache`, locale);
    return kind === "html"
      ? Mustache.render(template, view, partials, { escape: escapeHtml })
      : Mustache.render(template, view, partials, { escape: asIs });
  }

  function render(content: SignInMailContent, requestedLocale: string): RenderedMail {
    const locale = SUPPORTED_LOCALES.includes(requestedLocale) ? requestedLocale : SUPPORTED_LOCALES[0]!;
    const purpose = MAIL_PURPOSES[content.template];
    const view = mailView(settings, content, locale, now());
    return {
      subject: renderPart(purpose, "subject", view, locale).replace(/\s+/g, " ").trim(),
      html: renderPart(purpose, "html", view, locale),
      text: `${renderPart(purpose, "txt", view, locale)
        .replace(/\n{3,}/g, "\n\n")
        .trim()}\n`,
      headers: { "Auto-Submitted": "auto-generated", "Content-Language": locale },
    };
  }

  function check(): void {
    for (const locale of SUPPORTED_LOCALES) {
      for (const template of Object.keys(MAIL_PURPOSES) as MailTemplate[]) {
        render(sampleMailContent(template, now()), locale);
      }
    }
  }

  return { render, check };
}

/** Sample values for the preview page and the startup check: a code and a link, from Firefox on macOS in Berlin. */
export function sampleMailContent(template: MailTemplate, now: number): SignInMailContent {
  const hasSecrets = template !== "NO_ACCOUNT";
  return {
    template,
    code: hasSecrets ? "042137" : undefined,
    link: hasSecrets ? "https://auth.example.com/verify-magic-link?token=sample" : undefined,
    expiresInMinutes: 5,
    requestedAt: now,
    expiresAt: now + 5 * 60_000,
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0",
    place: "Berlin, DE",
  };
}
