import { useEffect, useRef } from "react";
import { usePathname } from "./lib/router.js";
import { paths } from "./lib/routes.js";
import { DashboardPage } from "./pages/dashboard-page.js";
import { DevMailboxPage } from "./pages/dev-mailbox-page.js";
import { InteractionPage } from "./pages/interaction-page.js";
import { NotFoundPage } from "./pages/not-found-page.js";
import { SignInPage } from "./pages/sign-in-page.js";
import { VerifyMagicLinkPage } from "./pages/verify-magic-link-page.js";

/** After a client-side navigation, move focus to the new page's heading for screen readers. */
function useFocusOnNavigation(pathname: string) {
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.querySelector<HTMLElement>("h1")?.focus();
  }, [pathname]);
}

export function App({ linkToken }: { linkToken: string | null }) {
  const pathname = usePathname();
  useFocusOnNavigation(pathname);
  const interaction = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(pathname);
  if (interaction?.[1]) return <InteractionPage uid={interaction[1]} />;
  switch (pathname) {
    case paths.signIn:
      return <SignInPage />;
    case paths.verifyMagicLink:
      return <VerifyMagicLinkPage linkToken={linkToken} />;
    case paths.dashboard:
      return <DashboardPage />;
    case paths.devMailbox:
      return <DevMailboxPage />;
    default:
      return <NotFoundPage />;
  }
}
