/**
 * Writes docs/configuration.md from the config schema in src/config.ts, so the page cannot
 * drift from what the server accepts: `npm run docs:config`. test/docs/configuration.test.ts
 * fails when the committed page differs from what this renders, or a variable has no
 * description.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { rawSchema } from "../src/config.js";

export const CONFIGURATION_PAGE = "docs/configuration.md";

/** Sections of the page, in order; the first whose rule matches a variable's name takes it. */
const SECTIONS: { title: string; matches: (name: string) => boolean }[] = [
  {
    title: "Server",
    matches: (name) =>
      ["NODE_ENV", "HOST", "PORT", "PUBLIC_URL", "TRUST_PROXY", "LOG_LEVEL", "DATA_DIR"].includes(name),
  },
  {
    title: "Secrets and tokens",
    matches: (name) => name === "SECRET_KEY" || /^(JWT_|KEY_|ACCESS_TOKEN_)/.test(name),
  },
  { title: "Storage", matches: (name) => /^(DATABASE_|REDIS_)/.test(name) },
  { title: "Mail", matches: (name) => /^(SMTP_|MAIL_|OUTBOX_|POSTMARK_|RESEND_|SES_|AWS_)/.test(name) },
  {
    title: "Sign-in",
    matches: (name) =>
      [
        "OTP_LENGTH",
        "CHALLENGE_TTL",
        "MAX_ATTEMPTS",
        "ALLOW_SIGNUP",
        "ALLOWED_REDIRECT_ORIGINS",
        "CORS_ORIGINS",
      ].includes(name) || name.startsWith("PASSWORDLESS_"),
  },
  { title: "Sessions and cookies", matches: (name) => /^(SESSION_|REFRESH_|COOKIE_)/.test(name) },
  {
    title: "Limits and audit",
    matches: (name) => name === "RATE_LIMITS" || /_PER_|_COOLDOWN_|^CODE_FAILURES_|^AUDIT_/.test(name),
  },
  { title: "Metrics", matches: (name) => name.startsWith("METRICS_") },
  { title: "Scalekit", matches: (name) => name.startsWith("SCALEKIT_") },
  { title: "Passkeys", matches: (name) => name.startsWith("WEBAUTHN_") },
  { title: "OpenID Connect", matches: (name) => name.startsWith("OIDC_") },
  { title: "Admin API and webhooks", matches: (name) => /^(ADMIN_|WEBHOOK)/.test(name) },
  { title: "Other", matches: () => true },
];

type Schema = z.core.$ZodType & { description?: string };

interface Variable {
  name: string;
  description: string | undefined;
  defaultValue: string;
  accepts: string;
}

/** The schema without its default/optional/transform wrappers, plus the default if any. */
function unwrap(schema: Schema): { inner: z.core.$ZodType; defaultValue: unknown } {
  let inner: z.core.$ZodType = schema;
  let defaultValue: unknown;
  for (;;) {
    const def = inner._zod.def as z.core.$ZodTypeDef & {
      innerType?: z.core.$ZodType;
      in?: z.core.$ZodType;
      defaultValue?: unknown;
    };
    if (def.type === "default") defaultValue = def.defaultValue;
    if ((def.type === "default" || def.type === "optional") && def.innerType) inner = def.innerType;
    else if (def.type === "pipe" && def.in) inner = def.in;
    else return { inner, defaultValue };
  }
}

function describeAccepted(inner: z.core.$ZodType): string {
  const def = inner._zod.def as z.core.$ZodTypeDef & { entries?: Record<string, string>; format?: string };
  // zod's number and string schemas expose their bounds as getters.
  const bounds = inner as { minValue?: number | null; maxValue?: number | null; minLength?: number | null };
  if (def.type === "enum" && def.entries?.true === "true")
    return "`true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`)";
  if (def.type === "enum" && def.entries)
    return Object.values(def.entries)
      .map((value) => `\`${value}\``)
      .join(", ");
  if (def.type === "number") return `whole number ${bounds.minValue}..${bounds.maxValue}`;
  if (def.type === "string" && def.format === "url") return "URL";
  if (def.type === "string" && (bounds.minLength ?? 0) > 1)
    return `text, at least ${bounds.minLength} characters`;
  return "text";
}

function formatDefault(value: unknown): string {
  if (value === undefined) return "–";
  if (Array.isArray(value)) return value.length === 0 ? "–" : `\`${value.join(",")}\``;
  return `\`${String(value)}\``;
}

export function listVariables(): Variable[] {
  return Object.entries(rawSchema.shape).map(([name, schema]) => {
    const { inner, defaultValue } = unwrap(schema as Schema);
    const described = (schema as Schema).description;
    const isList = name.endsWith("_ORIGINS");
    const accepts = isList ? "comma-separated origins" : describeAccepted(inner);
    return { name, description: described, defaultValue: formatDefault(defaultValue), accepts };
  });
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

export function renderConfigurationPage(): string {
  const variables = listVariables();
  const lines = [
    "# Configuration",
    "",
    "<!-- Generated from the schema in src/config.ts by `npm run docs:config`; do not edit by hand. -->",
    "",
    "Latchkey reads its settings from environment variables, or from a `.env` file in the",
    "working directory (the environment wins; [`.env.example`](../.env.example) is a template).",
    "Every variable is optional in development. In production (`NODE_ENV=production`) the",
    "server refuses to start without `SECRET_KEY`, `SMTP_URL` (with the builtin provider) and",
    "an https `PUBLIC_URL`.",
    "",
    "A bad configuration stops the server before it listens, with one line per problem, all",
    "problems in one run:",
    "",
    "```text",
    "config error: PORT: must be a whole number from 0 to 65535",
    "config error: SECRET_KEY: required in production (>= 32 bytes)",
    "config error: SMTP_URL: required in production",
    "config error: PUBLIC_URL: required in production",
    "```",
    "",
  ];
  const remaining = [...variables];
  for (const section of SECTIONS) {
    const inSection = remaining.filter((variable) => section.matches(variable.name));
    if (inSection.length === 0) continue;
    for (const variable of inSection) remaining.splice(remaining.indexOf(variable), 1);
    lines.push(
      `## ${section.title}`,
      "",
      "| variable | default | accepts | meaning |",
      "| --- | --- | --- | --- |",
    );
    for (const variable of inSection) {
      const meaning = escapeCell(variable.description ?? "");
      lines.push(`| \`${variable.name}\` | ${variable.defaultValue} | ${variable.accepts} | ${meaning} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const missing = listVariables().filter((variable) => !variable.description);
  if (missing.length > 0) {
    console.error(
      `no .describe() in src/config.ts for: ${missing.map((variable) => variable.name).join(", ")}`,
    );
    process.exit(1);
  }
  writeFileSync(CONFIGURATION_PAGE, renderConfigurationPage());
  console.log(`wrote ${CONFIGURATION_PAGE}`);
}
