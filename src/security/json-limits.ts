import type { FastifyInstance } from "fastify";

export interface JsonLimits {
  /** Nesting of objects and arrays; every Latchkey request body is one flat object. */
  maxDepth: number;
  /** Items in one array, and keys in one object. */
  maxItems: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 8, maxItems: 64 };

/** Why a parsed body is out of bounds, or undefined. Iterative, so hostile depth cannot overflow the stack. */
export function jsonLimitViolation(value: unknown, limits: JsonLimits): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value !== "object" || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > limits.maxDepth) return `nested deeper than ${limits.maxDepth} levels`;
    const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
    if (children.length > limits.maxItems) return `more than ${limits.maxItems} items in one array or object`;
    for (const child of children) pending.push({ value: child, depth });
  }
  return undefined;
}

/**
 * JSON bodies within bounds (SECURITY.md 37): Fastify's own parser (which already refuses
 * `__proto__` and `constructor.prototype` keys), then limits on depth and width, so no
 * body of any shape costs more than its 16 KiB to look at. A violation is a 422 in the
 * validation shape.
 */
export function registerJsonLimits(app: FastifyInstance, limits: JsonLimits = DEFAULT_JSON_LIMITS) {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    void parseJson(request, String(body), (error, value) => {
      if (error) return done(error, undefined);
      const violation = jsonLimitViolation(value, limits);
      if (!violation) return done(null, value);
      const refusal = Object.assign(new Error(`JSON body ${violation}`), {
        statusCode: 422,
        validationContext: "body",
        validation: [{ instancePath: "", message: violation, keyword: "json_limits" }],
      });
      done(refusal, undefined);
    });
  });
}
