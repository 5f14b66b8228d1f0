import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { jwksResponse } from "./schemas.js";
import type { SigningKeys } from "./signing-keys.js";

export const jwksRoutes: FastifyPluginAsyncZod<{ keys: SigningKeys }> = async (app, { keys }) => {
  app.get(
    "/.well-known/jwks.json",
    {
      schema: {
        tags: ["sessions"],
        summary: "Public keys that verify Latchkey access tokens",
        description: "Only public members. Empty in HS256 (JWT_SECRET) mode.",
        response: { 200: jwksResponse },
      },
    },
    async (_request, reply) => {
      reply.header("cache-control", "public, max-age=300");
      return keys.jwks();
    },
  );
};
