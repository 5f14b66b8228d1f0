import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, deferredChildLogger, formatAccessLine } from "../../src/http/logger.js";
import { createTestApp, type TestApp } from "../support/harness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface LogLine {
  msg?: string;
  reqId?: string;
  [field: string]: unknown;
}

function accessLines(logLines: string[]): LogLine[] {
  return logLines
    .flatMap((chunk) => chunk.split("\n"))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.msg === "request completed");
}

describe("the access log", () => {
  let testApp: TestApp | undefined;
  afterEach(async () => {
    await testApp?.close();
    testApp = undefined;
  });

  it("writes one line per request, at completion, with id, method, route, status and time", async () => {
    const logLines: string[] = [];
    testApp = await createTestApp({ logLines, env: { LOG_LEVEL: "info" } });
    const response = await testApp.app.inject({ method: "GET", url: "/api/auth/session" });
    const lines = accessLines(logLines);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      reqId: response.headers["x-request-id"],
      method: "GET",
      route: "/api/auth/session",
      status: response.statusCode,
    });
    expect(typeof lines[0]?.ms).toBe("number");
    expect(logLines.join("").match(/incoming request/)).toBeNull();
  });

  it("logs the route pattern, never the query string or a path value", async () => {
    const logLines: string[] = [];
    testApp = await createTestApp({ logLines, env: { LOG_LEVEL: "info" } });
    await testApp.app.inject({ method: "GET", url: "/api/auth/session?link_token=SECRETQUERYTOKEN" });
    await testApp.app.inject({ method: "GET", url: "/api/admin/users/SECRETPATHVALUE" });
    const routes = accessLines(logLines).map((line) => line.route);
    expect(routes).toEqual(["/api/auth/session", "/api/admin/users/:id"]);
    expect(logLines.join("")).not.toMatch(/SECRETQUERYTOKEN|SECRETPATHVALUE/);
  });

  it("logs a request that matched no route with route null", async () => {
    const logLines: string[] = [];
    testApp = await createTestApp({ logLines, env: { LOG_LEVEL: "info" } });
    await testApp.app.inject({ method: "GET", url: "/nowhere/SECRETPATHVALUE?token=x" });
    expect(accessLines(logLines)).toMatchObject([{ route: null, status: 404 }]);
    expect(logLines.join("")).not.toContain("SECRETPATHVALUE");
  });

  it("keeps pino's line shape, and stays one valid JSON line whatever a field holds", () => {
    const fields = { reqId: 'a"b\nc', method: "GET", ip: "::1", route: null, status: 404, ms: 1.25 };
    const text = formatAccessLine(1_700_000_000_000, ',"pid":7,"hostname":"h"', fields);
    expect(text.endsWith("\n")).toBe(true);
    expect(text.slice(0, -1)).not.toContain("\n");
    expect(JSON.parse(text)).toEqual({
      level: 30,
      time: 1_700_000_000_000,
      pid: 7,
      hostname: "h",
      ...fields,
      msg: "request completed",
    });
  });

  it("is off below LOG_LEVEL=info", async () => {
    const logLines: string[] = [];
    testApp = await createTestApp({ logLines, env: { LOG_LEVEL: "warn" } });
    await testApp.app.inject({ method: "GET", url: "/api/auth/session" });
    expect(accessLines(logLines)).toEqual([]);
  });
});

const LOG_STATEMENTS = {
  line: 'log.info({ i }, "line");',
  access:
    'access.requestCompleted(null, { id: String(i), method: "GET", ip: "127.0.0.1", routeOptions: { url: "/x" } }, { statusCode: 200, elapsedTime: 1 });',
};

/** Holds each asynchronous write back for 200 ms, as a stuck thread pool or a slow disk would. */
const SLOW_WRITES =
  'import fs from "node:fs"; const write = fs.write; fs.write = (...args) => void setTimeout(() => write(...args), 200);';

/**
 * Runs a script (through tsx, against the current sources) that logs `count` lines (service
 * lines or access lines) and then ends as `ending` says.
 */
function logThenEnd(
  count: number,
  ending: string,
  kind: keyof typeof LOG_STATEMENTS = "line",
  setup = "",
): Promise<{ stdout: string; code: number | null }> {
  const script = `
    ${setup}
    import { createAccessLogController, createLogger, flushLogBeforeExit } from "./src/http/logger.ts";
    const log = createLogger({ server: { logLevel: "info" } });
    flushLogBeforeExit(log);
    const access = createAccessLogController(log);
    for (let i = 0; i < ${count}; i++) ${LOG_STATEMENTS[kind]}
    ${ending}
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve) => child.once("close", (code) => resolve({ stdout, code })));
}

function loggedNumbers(stdout: string): number[] {
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { i?: number; reqId?: string; msg: string })
    .filter((line) => line.msg !== "uncaught exception: exiting")
    .map((line) => line.i ?? Number(line.reqId))
    .sort((a, b) => a - b);
}

describe("the buffered log destination", () => {
  const COUNT = 3000;
  const everyLine = Array.from({ length: COUNT }, (_, i) => i);

  it("loses no line when the process calls process.exit()", async () => {
    const { stdout, code } = await logThenEnd(COUNT, "process.exit(3);");
    expect(code).toBe(3);
    expect(loggedNumbers(stdout)).toEqual(everyLine);
  });

  it("loses no line when the process dies of an uncaught exception", async () => {
    const { stdout, code } = await logThenEnd(COUNT, 'setTimeout(() => { throw new Error("boom"); }, 1);');
    expect(code).toBe(1);
    expect(loggedNumbers(stdout)).toEqual(everyLine);
  });

  it("waits for the write in flight before a crash exits, and logs the crash", async () => {
    const crash = 'setTimeout(() => { throw new Error("boom"); }, 1);';
    const { stdout, code } = await logThenEnd(COUNT, crash, "access", SLOW_WRITES);
    expect(code).toBe(1);
    expect(loggedNumbers(stdout)).toEqual(everyLine);
    expect(stdout).toContain('"msg":"uncaught exception: exiting"');
  });

  it("loses no access line when the process calls process.exit()", async () => {
    const { stdout, code } = await logThenEnd(COUNT, "process.exit(3);", "access");
    expect(code).toBe(3);
    expect(loggedNumbers(stdout)).toEqual(everyLine);
  });

  it("loses no access line when the process dies of an uncaught exception", async () => {
    const { stdout, code } = await logThenEnd(
      COUNT,
      'setTimeout(() => { throw new Error("boom"); }, 1);',
      "access",
    );
    expect(code).toBe(1);
    expect(loggedNumbers(stdout)).toEqual(everyLine);
  });

  it("writes a lone access line within a second", async () => {
    const { stdout } = await logThenEnd(
      1,
      "setTimeout(() => { process.kill(process.pid, 'SIGKILL'); }, 1500);",
      "access",
    );
    expect(loggedNumbers(stdout)).toEqual([0]);
  });

  it("writes a lone line within a second, before any buffer fills", async () => {
    const { stdout } = await logThenEnd(
      1,
      "setTimeout(() => { process.kill(process.pid, 'SIGKILL'); }, 1500);",
    );
    expect(loggedNumbers(stdout)).toEqual([0]);
  });
});

describe("a request's own logger", () => {
  function loggerCountingChildren() {
    const lines: string[] = [];
    const log = createLogger({ server: { logLevel: "info" } } as Parameters<typeof createLogger>[0], {
      write: (line) => void lines.push(line),
    });
    let children = 0;
    const child = log.child.bind(log);
    log.child = ((...args: Parameters<typeof child>) => {
      children++;
      return child(...args);
    }) as typeof log.child;
    return { log, lines, children: () => children };
  }

  it("is not built for a request that logs nothing through it", () => {
    const { log, children } = loggerCountingChildren();
    deferredChildLogger(log, { reqId: "req-1" }, {});
    expect(children()).toBe(0);
  });

  it("is built on its first line, which carries the request id, and redacts as the parent does", () => {
    const { log, lines, children } = loggerCountingChildren();
    const requestLog = deferredChildLogger(log, { reqId: "req-1" }, {});
    requestLog.warn({ req: { headers: { cookie: "access_token=secret" } } }, "something happened");
    requestLog.error("and again");
    expect(children()).toBe(1);
    const first = JSON.parse(lines[0] ?? "{}");
    expect(first).toMatchObject({ reqId: "req-1", msg: "something happened", level: 40 });
    expect(JSON.stringify(first)).not.toContain("secret");
    expect(JSON.parse(lines[1] ?? "{}")).toMatchObject({ reqId: "req-1", level: 50 });
  });
});
