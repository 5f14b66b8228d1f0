export { type AccessTokens, createAccessTokens } from "./access-tokens.js";
export {
  AUTH_API_PATH,
  type CookieSettings,
  clearSessionCookies,
  deliverTokens,
  readAccessToken,
  readBinding,
  setBindingCookie,
  setSessionCookies,
} from "./cookies.js";
export { currentUserPlugin, duplicateCookieGuard } from "./current-user.js";
export { sessionRoutes } from "./routes.js";
export {
  createSessionService,
  type IssuedTokens,
  type RequestContext,
  type SessionService,
} from "./service.js";
export {
  createLocalRevocationBus,
  createSessionCache,
  type RevocationBus,
  type SessionState,
} from "./session-cache.js";
export { deleteEndedSessions } from "./session-store.js";
export { createSigningKeys, type SigningKeys } from "./signing-keys.js";
