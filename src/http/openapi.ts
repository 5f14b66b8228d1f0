import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance, RouteOptions } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";
import type { Config } from "../config.js";
import { errorCatalogue } from "../errors.js";
import { DOCS_CONTENT_SECURITY_POLICY } from "./security-headers.js";

/**
 * The OpenAPI document at /openapi.json (and Swagger UI at /docs), built from the routes'
 * zod schemas plus what the routes share: who may call them (security), the error
 * answers every route can give (from the one error catalogue), one component per schema.
 */

type Json = Record<string, unknown>;
type Document = Json & { paths?: Record<string, Record<string, Json>>; components?: Json };

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Probes are exempt from https_required (security/https-only.ts) and touch nothing that fails. */
const PROBE_PATHS = new Set(["/healthz", "/readyz"]);
const SIGNED_IN = [{ bearerAuth: [] }, { cookieAuth: [] }];

function securitySchemes(config: Config) {
  const names = config.sessions.cookieNames;
  return {
    bearerAuth: {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description:
        "An access token from `token_delivery: body` or `/refresh` (scheme name case-insensitive).",
    },
    cookieAuth: {
      type: "apiKey",
      in: "cookie",
      name: names.access,
      description: "The browser's access cookie.",
    },
    adminKey: {
      type: "http",
      scheme: "bearer",
      description: "An admin API key, `lk_admin_…` (`latchkey admin-keys create`).",
    },
    refreshCookie: {
      type: "apiKey",
      in: "cookie",
      name: names.refresh,
      description: "The browser's refresh cookie (path /api/auth).",
    },
  } as const;
}

/** `POST /api/auth/logout-all` → `logoutAll`; `GET /api/auth/sessions` → `getSessions`; params → `ById`. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/(auth\/)?/, "/")
    .split(/[/.-]/)
    .filter(Boolean)
    .map((word) => (word.startsWith(":") ? `by-${word.slice(1)}` : word))
    .flatMap((word) => word.split(/[-_]/));
  const pascal = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
  const verb = method.toLowerCase();
  return verb === "post" ? pascal.charAt(0).toLowerCase() + pascal.slice(1) : `${verb}${pascal}`;
}

function securityOf(route: RouteOptions, schema: Json): unknown[] {
  if (schema.security) return schema.security as unknown[];
  const auth = route.config?.auth;
  if (auth === "required") return SIGNED_IN;
  if (auth === "optional") return [...SIGNED_IN, {}];
  return [];
}

/** The error statuses every route answers whatever it declares, from what the route is. */
function sharedErrorStatuses(route: RouteOptions, schema: Json): number[] {
  const method = String(route.method);
  const statuses: number[] = [];
  if (!PROBE_PATHS.has(route.url)) statuses.push(403, 503); // https_required; the database
  if (UNSAFE_METHODS.has(method)) statuses.push(400, 403, 413, 415); // a body is parsed, checked for CSRF
  if (schema.body || schema.params) statuses.push(422);
  if (route.config?.auth === "required") statuses.push(401);
  return [...new Set(statuses)];
}

/** Per route: operationId, security, and the shared error statuses (filled in by `withErrorAnswers`). */
function transformRoute(input: Parameters<typeof jsonSchemaTransform>[0]) {
  const route = (input as unknown as { route: RouteOptions }).route;
  const transformed = jsonSchemaTransform(input);
  const schema = (transformed.schema ?? {}) as Json;
  if (schema.hide) return transformed;
  const declared = (schema.response ?? {}) as Json;
  const shared = Object.fromEntries(sharedErrorStatuses(route, schema).map((status) => [status, {}]));
  return {
    ...transformed,
    schema: {
      ...schema,
      operationId: schema.operationId ?? operationIdOf(String(route.method), route.url),
      security: securityOf(route, schema),
      response: { ...shared, ...declared },
    },
  };
}

const STATUS_NAMES: Record<number, string> = {
  400: "Bad request",
  401: "Not signed in",
  403: "Refused",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Body too large",
  415: "Not JSON",
  422: "Invalid input",
  429: "Too many requests",
  500: "Server error",
  503: "Unavailable",
};

function codesWithStatus(status: number): string[] {
  return Object.entries(errorCatalogue)
    .filter(([, entry]) => entry.status === status)
    .map(([code]) => code);
}

/** One component per error status; `code` lists exactly the catalogue's codes of that status. */
function errorComponent(status: number): Json {
  const codes = codesWithStatus(status);
  const issue = {
    type: "object",
    required: ["loc", "msg", "type"],
    properties: {
      loc: { type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] } },
      msg: { type: "string" },
      type: { type: "string" },
    },
  };
  const detail =
    status === 422
      ? { anyOf: [{ type: "array", items: issue }, { type: "string" }], description: "The invalid fields." }
      : { type: "string", description: "A human-readable message; switch on `code`." };
  return {
    type: "object",
    required: ["detail", "code"],
    properties: { detail, code: { type: "string", enum: codes } },
    additionalProperties: true,
  };
}

function errorResponse(status: number): Json {
  const codes = codesWithStatus(status);
  const response: Json = {
    description: `${STATUS_NAMES[status] ?? `HTTP ${status}`}: ${codes.map((code) => `\`${code}\``).join(", ")}`,
    content: { "application/json": { schema: { $ref: `#/components/schemas/Error${status}` } } },
  };
  if (status === 429) {
    response.headers = {
      "Retry-After": { description: "Seconds until a retry may succeed.", schema: { type: "integer" } },
    };
  }
  return response;
}

const isErrorStatus = (status: string) => Number(status) >= 400;

/** Every error answer points at its status's catalogue-derived schema. */
function withErrorAnswers(document: Document): void {
  const used = new Set<number>();
  for (const operation of operations(document)) {
    const responses = (operation.responses ?? {}) as Record<string, Json>;
    for (const status of Object.keys(responses).filter(isErrorStatus)) {
      responses[status] = errorResponse(Number(status));
      used.add(Number(status));
    }
    operation.responses = Object.fromEntries(
      Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)),
    );
  }
  const schemas = (document.components?.schemas ?? {}) as Json;
  for (const status of [...used].sort()) schemas[`Error${status}`] = errorComponent(status);
}

function operations(document: Document): Json[] {
  return Object.values(document.paths ?? {}).flatMap((item) => Object.values(item));
}

/** A body the server also takes absent (`.nullish()`) is optional, documented without its null branch. */
function withOptionalBodies(document: Document): void {
  for (const operation of operations(document)) {
    const body = operation.requestBody as { required?: boolean; content?: Record<string, Json> } | undefined;
    const media = body?.content?.["application/json"];
    const anyOf = (media?.schema as Json | undefined)?.anyOf as Json[] | undefined;
    if (!body || !media || !anyOf?.some((branch) => branch.type === "null")) continue;
    const rest = anyOf.filter((branch) => branch.type !== "null");
    media.schema = rest.length === 1 ? rest[0] : { anyOf: rest };
    body.required = false;
  }
}

const refsIn = (value: unknown): string[] =>
  [...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1] ?? "");

/**
 * zod gives every named schema an input (`XInput`) and an output (`X`) component. Requests
 * use the input form and responses the output form, so each name is needed once: keep the
 * form the document refers to, under the plain name, and drop every unused component.
 */
function withOneComponentPerSchema(document: Document): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, unknown>;
  const reachable = new Set<string>();
  const queue = refsIn(document.paths);
  while (queue.length > 0) {
    const name = queue.pop() ?? "";
    if (reachable.has(name) || !(name in schemas)) continue;
    reachable.add(name);
    queue.push(...refsIn(schemas[name]));
  }
  const renames = new Map<string, string>();
  for (const name of reachable) {
    const plain = name.replace(/Input$/, "");
    if (plain !== name && !reachable.has(plain)) renames.set(name, plain);
  }
  const kept = Object.fromEntries(
    [...reachable].sort().map((name) => [renames.get(name) ?? name, schemas[name]] as const),
  );
  const rewrite = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value).replace(/"#\/components\/schemas\/([^"]+)"/g, (_match, name: string) => {
        return `"#/components/schemas/${renames.get(name) ?? name}"`;
      }),
    );
  document.paths = rewrite(document.paths);
  if (document.components) document.components.schemas = rewrite(kept);
}

function finishDocument() {
  return (input: Parameters<typeof jsonSchemaTransformObject>[0]) => {
    const document = jsonSchemaTransformObject(input) as Document;
    withOptionalBodies(document);
    withErrorAnswers(document);
    withOneComponentPerSchema(document);
    return document as ReturnType<typeof jsonSchemaTransformObject>;
  };
}

/**
 * Builds the document from every route registered after this (`app.swagger()`); serves it at
 * /openapi.json with Swagger UI at /docs only where docs are public (DOCS_PUBLIC; by default
 * outside production).
 */
export async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: config.branding.appName,
        version: "0.1.0",
        description:
          "Self-hosted passwordless authentication: email one-time codes and magic links, sessions with rotating refresh tokens.",
        license: { name: "MIT", identifier: "MIT" },
      },
      servers: [{ url: config.server.publicUrl.origin }],
      components: { securitySchemes: securitySchemes(config) },
      tags: [
        { name: "passwordless", description: "Start and finish a sign-in" },
        { name: "sessions", description: "Who is signed in; refresh, list, revoke" },
        { name: "passkeys", description: "Add, use and manage passkeys (WebAuthn)" },
        { name: "security", description: "Audit events" },
        { name: "operations", description: "Health and readiness" },
        { name: "admin", description: "Admin API: users, audit, webhooks (admin API keys only)" },
      ],
    },
    transform: transformRoute as typeof jsonSchemaTransform,
    transformObject: finishDocument(),
  });
  if (!config.server.isDocsPublic) return;
  await app.register(fastifySwaggerUi, {
    routePrefix: "/docs",
    staticCSP: true,
    uiConfig: { validatorUrl: null },
    // Swagger UI needs inline styles; nothing else on that page is loosened, and no API secret lives there.
    transformStaticCSP: () => DOCS_CONTENT_SECURITY_POLICY,
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
