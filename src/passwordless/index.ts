import type { PasswordlessProvider } from "./provider.js";
import type { ScalekitClientOptions } from "./providers/scalekit-client.js";

export type { PasswordlessProvider, PasswordlessType, Template } from "./provider.js";
export { createBuiltinProvider } from "./providers/builtin.js";
export { passwordlessRoutes } from "./routes.js";
export { createPasswordlessService, type PasswordlessService } from "./service.js";

/** The Scalekit provider, loaded on demand so a built-in deployment never loads Scalekit's SDK. */
export async function loadScalekitProvider(options: ScalekitClientOptions): Promise<PasswordlessProvider> {
  const { connectScalekitProvider } = await import("./providers/scalekit.js");
  return connectScalekitProvider(options);
}
