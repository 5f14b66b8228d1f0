import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startNodeFlags, TARGETS } from "../../bench/targets.mjs";

describe("the benchmark starts Latchkey as users do", () => {
  it("with the Node.js flags of npm start", () => {
    const flags = startNodeFlags();
    for (const target of TARGETS.filter((t) => t.script === "dist/server.js")) {
      expect(target.nodeFlags, target.name).toEqual(flags);
    }
  });

  it("and the Docker image uses the same flags", () => {
    const command = /^CMD (\[.*\])$/m.exec(readFileSync("Dockerfile", "utf8"))?.[1];
    expect(JSON.parse(command ?? "[]")).toEqual(["node", ...startNodeFlags(), "dist/server.js"]);
  });

  it("reads the flags from the start script, and none when it has none", () => {
    const start = (script) => startNodeFlags({ scripts: { start: script } });
    expect(start("node scripts/ensure-built.mjs && node --a=1 --b dist/server.js")).toEqual(["--a=1", "--b"]);
    expect(start("node dist/server.js")).toEqual([]);
    expect(() => start("tsx src/server.ts")).toThrow(/start script/);
  });
});
