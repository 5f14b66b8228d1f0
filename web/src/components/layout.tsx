import type { ReactNode } from "react";
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

export function Layout({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand">
          <KeyMark />
          <span>Latchkey</span>
        </Link>
      </header>
      <main id="main" className={wide ? "card card-wide" : "card"}>
        {children}
      </main>
      <footer className="footer">Passwordless sign-in · no passwords to leak</footer>
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
