import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestContext, SessionState } from "../sessions/index.js";

/**
 * What one HTTP request hands to oidc-provider's callbacks (which only see a Koa context):
 * the person's Latchkey session, resolved at most once, and work the response must wait
 * for. Carried in AsyncLocalStorage around `provider.callback()`.
 */
export interface OidcRequestScope {
  context: RequestContext;
  /**
   * Front-channel (the person's browser: /authorize, logout, the sign-in steps), where the
   * provider session must follow the Latchkey cookie. Back-channel calls (token, userinfo)
   * carry no cookies and see the provider session as stored.
   */
  isBrowserRequest: boolean;
  latchkeySession(): Promise<SessionState | null>;
  /**
   * On the sign-out paths only: the live Latchkey session with this id. There the access
   * cookie (15 minutes) may have lapsed while the session lives on through its refresh
   * cookie, which is never sent to /oidc; the provider session's link still names it.
   */
  findSessionToSignOut(sessionId: string): Promise<SessionState | null>;
  /** The session `findSessionToSignOut` found for this request's provider session, if any. */
  linkedSession?: SessionState;
  /**
   * Sign-ins hidden from the provider when their sessions were read (by provider session
   * id), put back when the provider stores those sessions again.
   */
  hiddenSignIns?: Map<string, Record<string, unknown>>;
  /** Awaited before the response leaves (see the provider's `use` middleware). */
  pending: Promise<unknown>[];
}

const storage = new AsyncLocalStorage<OidcRequestScope>();

export function runInScope<T>(scope: OidcRequestScope, task: () => Promise<T>): Promise<T> {
  return storage.run(scope, task);
}

export function currentScope(): OidcRequestScope | undefined {
  return storage.getStore();
}

/** Resolves the session once per request, however many callbacks ask. */
export function memoize(resolve: () => Promise<SessionState | null>): () => Promise<SessionState | null> {
  let result: Promise<SessionState | null> | undefined;
  return () => {
    result ??= resolve();
    return result;
  };
}
