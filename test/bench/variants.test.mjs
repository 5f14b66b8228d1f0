import { describe, expect, it } from "vitest";
import { parseVariant } from "../../bench/launch.mjs";

describe("a variant to compare side by side", () => {
  it("takes Node.js flags, environment settings and another build from one line", () => {
    expect(
      parseVariant("old=--v8-pool-size=1 GLIBC_TUNABLES=glibc.malloc.arena_max=2 @/tmp/old/dist/server.js"),
    ).toEqual({
      name: "old",
      env: { GLIBC_TUNABLES: "glibc.malloc.arena_max=2" },
      entry: "/tmp/old/dist/server.js",
      flags: ["--v8-pool-size=1"],
    });
  });

  it("is the default server when nothing follows the name", () => {
    expect(parseVariant("default=")).toEqual({ name: "default", env: {}, entry: undefined, flags: [] });
  });

  it("is refused without a name", () => {
    expect(() => parseVariant("=--v8-pool-size=1")).toThrow(/expected name=flags/);
    expect(() => parseVariant("--v8-pool-size")).toThrow(/expected name=flags/);
  });
});
