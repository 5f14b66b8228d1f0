export type { ClientRegistry, NewClient } from "./clients.js";
export { oidcMountPlugin } from "./mount.js";
export { connectedAppsRoutes, oidcInteractionRoutes } from "./routes.js";
export { createOidcService, type OidcService } from "./service.js";
export { oidcUserData } from "./user-data.js";
