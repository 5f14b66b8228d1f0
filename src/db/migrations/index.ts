import type { Migration, MigrationProvider } from "kysely";
import * as initial from "./0001_initial.js";
import * as signInHardening from "./0002_sign_in_hardening.js";
import * as oidc from "./0004_oidc.js";
import * as passkeys from "./0005_passkeys.js";
import * as adminWebhooks from "./0006_admin_webhooks.js";
import * as signingKeyGenerations from "./0007_signing_key_generations.js";
import * as userLocale from "./0008_user_locale.js";

/** Migrations are supplied from code, in order, so a built bundle needs no folder scan. */
const migrations: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_sign_in_hardening": signInHardening,
  "0004_oidc": oidc,
  "0005_passkeys": passkeys,
  "0006_admin_webhooks": adminWebhooks,
  "0007_signing_key_generations": signingKeyGenerations,
  "0008_user_locale": userLocale,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
