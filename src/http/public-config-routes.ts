import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type Config, PASSWORDLESS_TYPES } from "../config.js";
import type { Db } from "../db/database.js";
import { SUPPORTED_LOCALES } from "../i18n/locales.js";
import { negotiateLocale } from "../i18n/negotiate.js";
import type { UserService } from "../users/index.js";
import { errorResponses } from "./schemas.js";

const publicConfigResponse = z
  .object({
    app_name: z.string(),
    logo_url: z.string().nullable(),
    accent_color: z.string().nullable().describe("#rrggbb"),
    support_email: z.string().nullable(),
    locale: z
      .string()
      .describe("the language this browser gets: the signed-in account's stored one, else Accept-Language"),
    locales: z.array(z.string()),
    passwordless_type: z.enum(PASSWORDLESS_TYPES),
    code_length: z.number().int(),
    code_ttl_seconds: z.number().int(),
    max_attempts: z.number().int(),
    resend_cooldown_seconds: z.number().int(),
    sign_up: z.boolean().describe("whether a new address gets an account"),
  })
  .meta({ id: "PublicConfig" });

type PublicConfig = z.infer<typeof publicConfigResponse>;

function publicSettings(config: Config): Omit<PublicConfig, "locale"> {
  const { branding, passwordless, limits } = config;
  return {
    app_name: branding.appName,
    logo_url: branding.logoUrl ?? null,
    accent_color: branding.accentColor ?? null,
    support_email: branding.supportEmail ?? null,
    locales: [...SUPPORTED_LOCALES],
    passwordless_type: passwordless.type,
    code_length: passwordless.otpLength,
    code_ttl_seconds: passwordless.challengeTtlSeconds,
    max_attempts: passwordless.maxAttempts,
    resend_cooldown_seconds: limits.sendCooldownSeconds,
    sign_up: passwordless.allowSignup,
  };
}

const localeBody = z
  .object({ locale: z.string().min(2).max(35).describe("one of `locales` from GET /api/auth/config") })
  .meta({ id: "LocaleRequest" });

const localeResponse = z
  .object({ locale: z.string().describe("the account's language from now on") })
  .meta({ id: "AccountLocale" });

/**
 * What a sign-in page needs to know before it draws anything: the product's name and look,
 * the language, and the shape of the code. Public, and the same for every visitor but the
 * language: nothing in it is about an account.
 */
export const publicConfigRoutes: FastifyPluginAsyncZod<{
  config: Config;
  users: UserService;
  db: Db;
}> = async (app, { config, users, db }) => {
  const settings = publicSettings(config);
  app.get(
    "/config",
    {
      config: { auth: "optional" },
      schema: {
        tags: ["passwordless"],
        summary: "The sign-in settings a UI needs: name, look, language, code length, cooldowns",
        response: { 200: publicConfigResponse, ...errorResponses(503) },
      },
    },
    async (request, reply) => {
      reply.header("vary", "Accept-Language, Cookie, Authorization");
      const stored = request.session ? await users.storedLocale(db, request.session.userId) : null;
      return {
        ...settings,
        locale: negotiateLocale(SUPPORTED_LOCALES, request.headers["accept-language"], stored),
      };
    },
  );

  app.put(
    "/locale",
    {
      config: { auth: "required" },
      schema: {
        tags: ["passwordless"],
        summary: "Choose the language of your pages and mail",
        body: localeBody,
        response: { 200: localeResponse, ...errorResponses(400, 401, 415, 422, 503) },
      },
    },
    async (request) => {
      await users.setLocale(db, request.session!.userId, request.body.locale);
      return { locale: request.body.locale };
    },
  );
};
