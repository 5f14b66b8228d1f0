import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import { type CookieSettings, duplicatedAuthCookies } from "../../src/sessions/cookies.js";

const settings = {
  cookieNames: { access: "access_token", refresh: "refresh_token", binding: "lk_binding" },
} as CookieSettings;

function duplicatesIn(cookie: string): string[] {
  return duplicatedAuthCookies({ headers: { cookie } } as FastifyRequest, settings);
}

describe("which of our cookie names a request carries twice", () => {
  it("none when each of our cookies comes once", () => {
    expect(duplicatesIn("access_token=a; refresh_token=b; theme=dark")).toEqual([]);
  });

  it("a name repeated with a different value", () => {
    expect(duplicatesIn("refresh_token=a; theme=dark; refresh_token=b")).toEqual(["refresh_token"]);
  });

  it("a name repeated with spaces around it still counts as that name", () => {
    expect(duplicatesIn("access_token=a;  access_token =b")).toEqual(["access_token"]);
  });

  it("a name repeated after a tab counts as that name", () => {
    expect(duplicatesIn("access_token=a;\taccess_token=b")).toEqual(["access_token"]);
  });

  it("a name repeated after a no-break space still counts as that name", () => {
    expect(duplicatesIn("lk_binding=a;\u00a0lk_binding=b")).toEqual(["lk_binding"]);
  });

  it("our name inside another cookie's name or value is not a second cookie", () => {
    expect(duplicatesIn("access_token=a; old_access_token=b; note=access_token")).toEqual([]);
  });
});
