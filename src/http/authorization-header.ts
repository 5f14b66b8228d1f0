import type { FastifyInstance } from "fastify";
import { AppError } from "../errors.js";

/**
 * Two `Authorization` headers in one request are refused (400 `duplicate_authorization`).
 * Node.js keeps the first and drops the rest, while a proxy in front may read the last:
 * the two would disagree on who is asking.
 */
export function refuseDuplicateAuthorization(app: FastifyInstance) {
  // A callback hook: most requests carry no Authorization header, and pass without a promise.
  app.addHook("onRequest", (request, _reply, done) => {
    const isDuplicated =
      request.headers.authorization !== undefined && countHeader(request.raw.rawHeaders, "authorization") > 1;
    done(isDuplicated ? new AppError("duplicate_authorization") : undefined);
  });
}

/** `rawHeaders` alternates names and values, names in the sender's case. */
function countHeader(rawHeaders: string[], name: string): number {
  return rawHeaders.filter((value, index) => index % 2 === 0 && value.toLowerCase() === name).length;
}
