export type { PasswordlessProvider, PasswordlessType, Template } from "./provider.js";
export { createBuiltinProvider } from "./providers/builtin.js";
export { passwordlessRoutes } from "./routes.js";
export { createPasswordlessService, type PasswordlessService } from "./service.js";
