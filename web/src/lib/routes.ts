import { navigate } from "./router.js";

export const paths = {
  signIn: "/",
  verifyMagicLink: "/verify-magic-link",
  dashboard: "/dashboard",
  devMailbox: "/dev/mailbox",
} as const;

const appPaths = new Set<string>(Object.values(paths));

/** Goes to a same-origin path: inside the app without a reload, elsewhere with one. */
export function goTo(path: string, options: { notice?: string } = {}): void {
  const pathname = path.split(/[?#]/)[0] ?? "/";
  if (appPaths.has(pathname)) navigate(path, { replace: true, ...options });
  else window.location.assign(path);
}
