import type { ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { switchLocale, useAppConfig } from "../lib/app-config.js";
import { uiLocales } from "../lib/i18n.js";
import { Link } from "../lib/router.js";

function KeyMark() {
  return (
    <svg
      className="brand-mark"
      viewBox="0 0 24 24"
      width="28"
      height="28"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="8" cy="12" r="4.5" fill="none" stroke="currentColor" strokeWidth="2.2" />
      <path
        d="M12.5 12H21M17.5 12v3.5M20.5 12v2.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.2"
        strokeLinecap="round"
      />
    </svg>
  );
}

/** The footer's language choice: every language with a catalogue that the server also speaks. */
function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const { locales } = useAppConfig();
  const offered = uiLocales.filter((locale) => locales.includes(locale));
  if (offered.length < 2) return null;
  return (
    <label className="language">
      <span>{t("layout.language")}</span>
      <select
        className="language-select"
        value={i18n.resolvedLanguage}
        onChange={(event) => void switchLocale(event.target.value)}
      >
        {offered.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {t(`languages.${locale}`, { defaultValue: locale })}
          </option>
        ))}
      </select>
    </label>
  );
}

/** "Need help? Write to help@acme.example", where the server names a support address. */
export function SupportLine() {
  const { support_email } = useAppConfig();
  if (!support_email) return null;
  return (
    <p className="hint support">
      <Trans
        i18nKey="layout.help"
        values={{ email: support_email }}
        components={{ mail: <a href={`mailto:${support_email}`}>{support_email}</a> }}
      />
    </p>
  );
}

export function Layout({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  const { t } = useTranslation();
  const { app_name, logo_url } = useAppConfig();
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand">
          {logo_url ? <img className="brand-logo" src={logo_url} alt="" height="28" /> : <KeyMark />}
          <span>{app_name}</span>
        </Link>
      </header>
      <main id="main" className={wide ? "card card-wide" : "card"}>
        {children}
      </main>
      <footer className="footer">
        <span>{t("layout.footer")}</span>
        <LanguageSwitcher />
      </footer>
    </div>
  );
}

/** Page heading that receives focus after a client-side navigation. */
export function PageTitle({ children }: { children: ReactNode }) {
  return (
    <h1 className="title" tabIndex={-1}>
      {children}
    </h1>
  );
}
