import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses } from "../http/schemas.js";
import type { WebhookEndpointView, WebhookService } from "../webhooks/index.js";
import { type AdminAuthOptions, addAdminAuth, adminContext } from "./auth.js";
import {
  addWebhookBody,
  adminUser,
  auditPage,
  auditQuery,
  createUserBody,
  listUsersQuery,
  revokedCount,
  revokeSessionsBody,
  signInLink,
  signInLinkBody,
  toAdminUserDto,
  userDetail,
  userIdParams,
  userList,
  webhookEndpoint,
  webhookIdParams,
  webhookSecret,
} from "./schemas.js";
import type { AdminService } from "./service.js";

export interface AdminRoutesOptions extends AdminAuthOptions {
  webhooks: WebhookService;
}

const security = [{ adminKey: [] }];
const refusals = [401, 404, 429] as const;
const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

function webhookDto(endpoint: WebhookEndpointView): z.infer<typeof webhookEndpoint> {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events ?? null,
    created_at: endpoint.createdAt.toISOString(),
    disabled_at: iso(endpoint.disabledAt),
    consecutive_failures: endpoint.consecutiveFailures,
  };
}

function auditDto(row: Awaited<ReturnType<AdminService["readAudit"]>>["events"][number]) {
  return {
    id: row.id,
    at: new Date(Number(row.at)).toISOString(),
    type: row.type,
    user_id: row.user_id,
    email_hash: row.email_hash,
    ip: row.ip,
    user_agent: row.user_agent,
    request_id: row.request_id,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
  };
}

const userRoutes: FastifyPluginAsyncZod<{ admin: AdminService }> = async (app, { admin }) => {
  const schema = (summary: string) => ({ tags: ["admin"], summary, security });

  app.get(
    "/users",
    {
      schema: {
        ...schema("Find users: exact email, or every user page by page"),
        querystring: listUsersQuery,
        response: { 200: userList, ...errorResponses(...refusals, 422) },
      },
    },
    async (request) => {
      const { email, cursor, limit } = request.query;
      const page = await admin.findUsers({ email, cursor, limit });
      return { users: page.users.map(toAdminUserDto), next_cursor: page.nextCursor ?? null };
    },
  );

  app.post(
    "/users",
    {
      schema: {
        ...schema("Create a user, optionally mailing a sign-in invitation"),
        body: createUserBody,
        response: { 201: adminUser, ...errorResponses(...refusals, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = await admin.createUser(
        request.body.email,
        request.body.send_invitation,
        adminContext(request),
      );
      return reply.status(201).send(toAdminUserDto(user));
    },
  );

  app.get(
    "/users/:id",
    {
      schema: {
        ...schema("A user with live sessions, passkeys and connected apps"),
        params: userIdParams,
        response: { 200: userDetail, ...errorResponses(...refusals, 422) },
      },
    },
    async (request) => {
      const { user, sessions, related } = await admin.getUser(request.params.id);
      return {
        user: toAdminUserDto(user),
        sessions: sessions.map((session) => ({
          id: session.id,
          created_at: new Date(session.createdAt).toISOString(),
          last_used_at: new Date(session.lastUsedAt).toISOString(),
          expires_at: new Date(session.expiresAt).toISOString(),
          ip: session.ip,
          user_agent: session.userAgent,
        })),
        passkeys: related.passkeys ?? [],
        connected_apps: related.connected_apps ?? [],
      };
    },
  );

  app.delete(
    "/users/:id",
    {
      schema: {
        ...schema("Erase a user: sessions, passkeys, grants, challenges and queued mail"),
        params: userIdParams,
        response: { 204: z.null(), ...errorResponses(...refusals, 422) },
      },
    },
    async (request, reply) => {
      await admin.deleteUser(request.params.id, adminContext(request));
      return reply.status(204).send(null);
    },
  );

  for (const action of ["block", "unblock"] as const) {
    app.post(
      `/users/:id/${action}`,
      {
        schema: {
          ...schema(action === "block" ? "Block sign-in and end every session" : "Allow sign-in again"),
          params: userIdParams,
          response: { 200: adminUser, ...errorResponses(...refusals, 422) },
        },
      },
      async (request) => {
        const context = adminContext(request);
        const user =
          action === "block"
            ? await admin.blockUser(request.params.id, context)
            : await admin.unblockUser(request.params.id, context);
        return toAdminUserDto(user);
      },
    );
  }

  app.post(
    "/users/:id/revoke-sessions",
    {
      schema: {
        ...schema("End one session (session_id) or every session of a user"),
        params: userIdParams,
        body: revokeSessionsBody,
        response: { 200: revokedCount, ...errorResponses(...refusals, 422) },
      },
    },
    async (request) => {
      const revoked = await admin.revokeSessions(
        request.params.id,
        request.body?.session_id,
        adminContext(request),
      );
      return { revoked };
    },
  );

  app.post(
    "/sign-in-links",
    {
      schema: {
        ...schema("A one-time sign-in link for support (ADMIN_SIGN_IN_LINKS=true); audited"),
        body: signInLinkBody,
        response: { 201: signInLink, ...errorResponses(...refusals, 403, 422) },
      },
    },
    async (request, reply) => {
      const created = await admin.createSignInLink(request.body.email, adminContext(request));
      return reply
        .status(201)
        .send({ link: created.link, expires_at: new Date(created.expiresAt).toISOString() });
    },
  );

  app.get(
    "/audit",
    {
      schema: {
        ...schema("Audit events, newest first, filtered"),
        querystring: auditQuery,
        response: { 200: auditPage, ...errorResponses(...refusals, 422) },
      },
    },
    async (request) => {
      const { type, user_id, email, since, until, cursor, limit } = request.query;
      const [at, id] = cursor
        ? [Number(cursor.slice(0, cursor.indexOf("."))), cursor.slice(cursor.indexOf(".") + 1)]
        : [];
      const page = await admin.readAudit({
        type,
        userId: user_id,
        email,
        since: since ? Date.parse(since) : undefined,
        until: until ? Date.parse(until) : undefined,
        before: at !== undefined && id !== undefined ? { at: Number(at), id: String(id) } : undefined,
        limit,
      });
      return { events: page.events.map(auditDto), next_cursor: page.nextCursor ?? null };
    },
  );
};

const webhookRoutes: FastifyPluginAsyncZod<{ webhooks: WebhookService }> = async (app, { webhooks }) => {
  const schema = (summary: string) => ({ tags: ["admin"], summary, security });

  app.get(
    "/webhooks",
    {
      schema: {
        ...schema("Webhook endpoints"),
        response: { 200: z.object({ endpoints: z.array(webhookEndpoint) }), ...errorResponses(...refusals) },
      },
    },
    async () => ({ endpoints: (await webhooks.list()).map(webhookDto) }),
  );

  app.post(
    "/webhooks",
    {
      schema: {
        ...schema("Add a webhook endpoint; its signing secret is shown once"),
        body: addWebhookBody,
        response: { 201: webhookSecret, ...errorResponses(...refusals, 400, 422) },
      },
    },
    async (request, reply) => {
      const added = await webhooks.addEndpoint(request.body);
      return reply.status(201).send({ id: added.id, url: added.url, secret: added.secret });
    },
  );

  app.delete(
    "/webhooks/:id",
    {
      schema: {
        ...schema("Remove a webhook endpoint"),
        params: webhookIdParams,
        response: { 204: z.null(), ...errorResponses(...refusals, 422) },
      },
    },
    async (request, reply) => {
      await webhooks.remove(request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/webhooks/:id/rotate-secret",
    {
      schema: {
        ...schema("New signing secret; the old one keeps signing during the overlap"),
        params: webhookIdParams,
        response: { 200: webhookSecret, ...errorResponses(...refusals, 422) },
      },
    },
    async (request) => {
      const rotated = await webhooks.rotateSecret(request.params.id);
      return { id: rotated.id, secret: rotated.secret };
    },
  );
};

/** Everything under /api/admin, behind admin-key authentication and its own rate limit. */
export const adminRoutes: FastifyPluginAsyncZod<AdminRoutesOptions> = async (app, options) => {
  addAdminAuth(app, options);
  await app.register(userRoutes, { admin: options.admin });
  await app.register(webhookRoutes, { webhooks: options.webhooks });
};
