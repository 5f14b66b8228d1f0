import { hostname } from "node:os";
import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from "fastify";
import { pino } from "pino";
import type { Config } from "../config.js";
import { pathOf } from "./paths.js";

export type Logger = FastifyBaseLogger;

export interface LogStream {
  write(line: string): void;
}

/**
 * Log lines wait in memory until 4 KiB have gathered, at most a second, and are written to
 * stdout by an asynchronous write: a request never waits for the terminal or the log
 * collector. That write runs on libuv's thread pool, which exiting does not wait for, so:
 * - an uncaught exception is logged, and the process exits (code 1) once every line is written,
 *   the one in flight included, or after CRASH_FLUSH_TIMEOUT_MS if stdout is stuck;
 * - on process.exit() what is buffered is written synchronously; the chunk in flight at that
 *   instant gets IN_FLIGHT_WRITE_GRACE_MS to land first. Latchkey's own exits flush before
 *   they exit; SIGKILL loses what is buffered.
 */
const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_INTERVAL_MS = 1000;
const CRASH_FLUSH_TIMEOUT_MS = 2000;
const IN_FLIGHT_WRITE_GRACE_MS = 20;

function stdoutDestination(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
}

/**
 * Once a second the gathered access lines join the destination's buffer, which is then written.
 * One timer does both, in that order: the destination's own periodic flush would skip a tick
 * that found a write under way, leaving access lines waiting up to a second more.
 */
function flushEverySecond(log: Logger, destination: pino.DestinationStream) {
  setInterval(() => {
    accessWriters.get(log)?.drain();
    (destination as pino.DestinationStream & { flush(): void }).flush();
  }, LOG_FLUSH_INTERVAL_MS).unref();
}

/**
 * The one logger of a process: services log through it, and Fastify's request loggers are
 * its children (with the request id). Logs never hold codes, tokens, cookies or bodies:
 * the paths below are redacted and the access log holds route patterns, never a URL.
 * `err.code` stays visible: it is an error's class (`ECONNREFUSED`, `57P01`), never a sign-in code.
 */
export function createLogger(config: Pick<Config, "server">, stream?: LogStream): Logger {
  const destination = (stream ?? stdoutDestination()) as pino.DestinationStream;
  const log = pino(
    {
      level: config.server.logLevel,
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          'res.headers["set-cookie"]',
          "req.body",
          "*.link_token",
          "*.refresh_token",
          "*.access_token",
        ],
        censor: "[redacted]",
      },
      serializers: {
        // A logged request never holds a query string: magic-link tokens live there.
        req: (request: { method: string; url: unknown; ip: string }) => ({
          method: request.method,
          url: typeof request.url === "string" ? pathOf(request.url) : request.url,
          remoteAddress: request.ip,
        }),
      },
    },
    destination,
  );
  destinations.set(log, destination);
  if (!stream) flushEverySecond(log, destination);
  return log;
}

/**
 * For the process's own logger, once (the server's entry point calls it): every exit writes
 * the buffered lines first. On process.exit() that is after pino's own exit flush, which
 * skips access lines; an uncaught exception is handled as Node would (printed, exit code 1),
 * but only once the log is written. A logger writing to a test stream needs none of it.
 */
export function flushLogBeforeExit(log: Logger) {
  const destination = destinations.get(log) as BufferedDestination | undefined;
  if (typeof destination?.flushSync !== "function") return;
  process.once("exit", () => {
    accessWriters.get(log)?.drain();
    if (destination._writing) sleepSync(IN_FLIGHT_WRITE_GRACE_MS);
    destination.flushSync();
  });
  process.once("uncaughtException", (error, origin) => {
    console.error(error);
    log.fatal({ err: error, origin }, "uncaught exception: exiting");
    const exit = () => process.exit(1);
    setTimeout(exit, CRASH_FLUSH_TIMEOUT_MS);
    flushLog(log).then(exit, exit);
  });
}

const destinations = new WeakMap<Logger, pino.DestinationStream>();

function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** sonic-boom's: `_writing` is true while a write is on the thread pool. */
type BufferedDestination = pino.DestinationStream & { flushSync(): void; _writing: boolean };

/** Writes what the buffer holds; resolves when it is written (at once for a test stream). */
export function flushLog(log: Logger): Promise<void> {
  accessWriters.get(log)?.drain();
  return new Promise((resolve) => {
    (log as pino.Logger).flush(() => resolve());
  });
}

/**
 * Access lines are the one log line every request writes, so they skip pino: each is formatted
 * here (the fields are all ours and pino's shape is kept: level, time, pid, hostname, then ours)
 * and gathered into pieces of ACCESS_BATCH_CHARS before they reach the destination. Handing
 * the destination one line at a time cost more than the rest of the line: it measures the
 * UTF-8 length of its whole pending buffer on every write. A test stream gets each line at once.
 */
const ACCESS_BATCH_CHARS = 16_384;

interface AccessLine {
  reqId: string;
  method: string;
  ip: string;
  route: string | null;
  status: number;
  ms: number;
}

function accessLineBase(): string {
  return `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;
}

export function formatAccessLine(time: number, base: string, line: AccessLine): string {
  return `{"level":30,"time":${time}${base},"reqId":${JSON.stringify(line.reqId)},"method":${JSON.stringify(line.method)},"ip":${JSON.stringify(line.ip)},"route":${JSON.stringify(line.route)},"status":${line.status},"ms":${line.ms},"msg":"request completed"}\n`;
}

interface AccessWriter {
  write(line: AccessLine): void;
  /** Hands what is gathered to the destination. */
  drain(): void;
}

function createAccessWriter(destination: pino.DestinationStream, batchChars: number): AccessWriter {
  const base = accessLineBase();
  let pending = "";
  const drain = () => {
    if (pending === "") return;
    const piece = pending;
    pending = "";
    destination.write(piece);
  };
  return {
    write(line) {
      pending += formatAccessLine(Date.now(), base, line);
      if (pending.length >= batchChars) drain();
    },
    drain,
  };
}

/**
 * One line per request, at completion: request id, method, client IP, route pattern, status
 * and milliseconds (Fastify's default is two lines, each through the redaction pass). The
 * route is the pattern (`/api/auth/verify-magic-link`, `/api/admin/users/:id`), never the URL,
 * so no query string or path value reaches the log; a request that matched no route logs
 * `route: null`. A response that failed mid-stream is logged through the request's own
 * (redacting) logger.
 */
export function createAccessLogController(log: Logger): LogController {
  const destination = destinations.get(log);
  if (!destination) throw new Error("createAccessLogController needs a logger made by createLogger");
  const isEnabled = (log as pino.Logger).isLevelEnabled("info");
  const writer = isEnabled ? accessWriterOf(log, destination) : undefined;

  class AccessLogController extends LogController {
    override incomingRequest() {}

    override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
      if (error) {
        reply.log.error({ err: error, route: request.routeOptions.url ?? null }, "request errored");
        return;
      }
      writer?.write({
        reqId: request.id,
        method: request.method,
        ip: request.ip,
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
      });
    }
  }
  return new AccessLogController();
}

const accessWriters = new WeakMap<Logger, AccessWriter>();

function accessWriterOf(log: Logger, destination: pino.DestinationStream): AccessWriter {
  let writer = accessWriters.get(log);
  if (!writer) {
    const isBuffered = typeof (destination as { flushSync?: unknown }).flushSync === "function";
    writer = createAccessWriter(destination, isBuffered ? ACCESS_BATCH_CHARS : 0);
    accessWriters.set(log, writer);
  }
  return writer;
}

type Bindings = Parameters<Logger["child"]>[0];
type ChildOptions = Parameters<Logger["child"]>[1];
type LogArguments = Parameters<Logger["info"]>;

/**
 * A request's logger that becomes a real pino child (its bindings serialized through the
 * redaction pass) only when something logs through it. Most requests never do: the access
 * line goes through its own logger, so building a child per request was pure cost.
 */
class DeferredChildLogger {
  #child: Logger | undefined;
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  readonly #options: ChildOptions;

  constructor(parent: Logger, bindings: Bindings, options: ChildOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): Logger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  get level(): string {
    return this.#child?.level ?? this.#options?.level ?? this.#parent.level;
  }
  set level(level: string) {
    this.#real().level = level;
  }
  fatal(...args: LogArguments) {
    this.#real().fatal(...args);
  }
  error(...args: LogArguments) {
    this.#real().error(...args);
  }
  warn(...args: LogArguments) {
    this.#real().warn(...args);
  }
  info(...args: LogArguments) {
    this.#real().info(...args);
  }
  debug(...args: LogArguments) {
    this.#real().debug(...args);
  }
  trace(...args: LogArguments) {
    this.#real().trace(...args);
  }
  silent(...args: LogArguments) {
    this.#real().silent(...args);
  }
  child(bindings: Bindings, options?: ChildOptions): Logger {
    return this.#real().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: the request logger, deferred (see DeferredChildLogger). */
export function deferredChildLogger(logger: Logger, bindings: Bindings, options: ChildOptions): Logger {
  return new DeferredChildLogger(logger, bindings, options) as unknown as Logger;
}
