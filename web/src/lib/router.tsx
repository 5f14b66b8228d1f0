import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

/** A tiny History API router: enough for four pages, no dependency. */

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export interface NavigateOptions {
  replace?: boolean;
  /** A one-line status to show on the next page ("You are signed out."). */
  notice?: string;
}

export function navigate(to: string, options: NavigateOptions = {}): void {
  const state = options.notice ? { notice: options.notice } : null;
  if (options.replace) window.history.replaceState(state, "", to);
  else window.history.pushState(state, "", to);
  for (const listener of listeners) listener();
}

/** The current path without a trailing slash ("/" stays "/"). */
export function usePathname(): string {
  const current = useSyncExternalStore(subscribe, snapshot, snapshot);
  const pathname = current.split("?")[0] ?? "/";
  return pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
}

/** The notice passed to navigate(), if this history entry has one. */
export function readNotice(): string | undefined {
  const state: unknown = window.history.state;
  if (state && typeof state === "object" && "notice" in state && typeof state.notice === "string") {
    return state.notice;
  }
  return undefined;
}

function isPlainLeftClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a
      href={href}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || !isPlainLeftClick(event)) return;
        event.preventDefault();
        navigate(href);
      }}
      {...rest}
    />
  );
}
