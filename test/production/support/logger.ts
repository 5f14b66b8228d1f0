import type { FastifyBaseLogger } from "fastify";

/** A logger that keeps the messages it is given, for asserting what an operator would see. */
export function createRecordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const at =
    (level: string) =>
    (first: unknown, second?: unknown): void => {
      lines.push({ level, message: typeof first === "string" ? first : String(second ?? "") });
    };
  const logger = {
    level: "info",
    fatal: at("fatal"),
    error: at("error"),
    warn: at("warn"),
    info: at("info"),
    debug: at("debug"),
    trace: at("trace"),
    silent: () => {},
    child: () => logger,
  };
  return { log: logger as unknown as FastifyBaseLogger, lines };
}
