import Fastify, { type RouteHandlerMethod } from "fastify";
import { describe, expect, it } from "vitest";
import { cookiesPlugin } from "../../src/http/cookies.js";

async function appAnswering(handler: RouteHandlerMethod) {
  const app = Fastify();
  await app.register(cookiesPlugin);
  app.get("/", handler);
  return app;
}

describe("cookies on requests and replies", () => {
  it("a route reads the request's cookies by name, the first of a repeated name", async () => {
    const app = await appAnswering(async (request) => ({ ...request.cookies }));
    const response = await app.inject({ url: "/", headers: { cookie: "a=1; b=two; a=3" } });
    expect(response.json()).toEqual({ a: "1", b: "two" });
  });

  it("a request without cookies reads as none", async () => {
    const app = await appAnswering(async (request) => ({ count: Object.keys(request.cookies).length }));
    expect((await app.inject({ url: "/" })).json()).toEqual({ count: 0 });
  });

  it("a cookie set twice with the same name and path is sent once, with the later value", async () => {
    const app = await appAnswering(async (_request, reply) => {
      reply.clearCookie("session", { path: "/api" });
      reply.setCookie("session", "fresh", { path: "/api", httpOnly: true });
      reply.setCookie("hint", "1");
      return {};
    });
    const cookies = (await app.inject({ url: "/" })).headers["set-cookie"];
    expect(cookies).toEqual(["session=fresh; Path=/api; HttpOnly; SameSite=Lax", "hint=1; SameSite=Lax"]);
  });

  it("a cleared cookie is sent empty, already expired", async () => {
    const app = await appAnswering(async (_request, reply) => reply.clearCookie("session").send({}));
    const cookies = (await app.inject({ url: "/" })).headers["set-cookie"];
    expect(cookies).toEqual([
      "session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax",
    ]);
  });
});
