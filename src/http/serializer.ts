import type { FastifySerializerCompiler } from "fastify/types/schema.js";
import { serializerCompiler as zodSerializerCompiler } from "fastify-type-provider-zod";

type ZodSchema = Parameters<typeof zodSerializerCompiler>[0]["schema"];

/**
 * Fastify's response serializer: the zod one (the schema strips what it does not declare and
 * throws on what does not fit), with one shortcut for the hottest answers. A body the handler
 * froze is the same answer for as long as the handler hands out that object (the session
 * check's, built once per cached session), so it is checked and serialized once per route.
 * Freeze it deeply (`deepFreeze`): a nested value changed later would not show.
 */
export const serializerCompiler: FastifySerializerCompiler<ZodSchema> = (routeSchema) => {
  const serialize = zodSerializerCompiler(routeSchema);
  const serialized = new WeakMap<object, string>();
  return (data) => {
    if (typeof data !== "object" || data === null || !Object.isFrozen(data)) return serialize(data);
    let text = serialized.get(data);
    if (text === undefined) {
      text = serialize(data);
      serialized.set(data, text);
    }
    return text;
  };
};

/** Freezes a plain JSON value and everything it holds. */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const nested of Object.values(value)) deepFreeze(nested);
    Object.freeze(value);
  }
  return value;
}
