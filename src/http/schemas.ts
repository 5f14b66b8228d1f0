import { z } from "zod";

/** Every error body: `{detail, code}` plus a few documented public fields. */
export const errorResponse = z
  .looseObject({
    detail: z.string().meta({ example: "The code is incorrect." }),
    code: z.string().meta({ example: "invalid_code" }),
  })
  .meta({ id: "Error" });

export const validationErrorResponse = z
  .object({
    detail: z.array(
      z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() }),
    ),
    code: z.literal("validation_error"),
  })
  .meta({ id: "ValidationError" });

/** The error statuses a route may answer, each with the shared schema. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, status === 422 ? validationErrorResponse : errorResponse]),
  ) as Record<number, typeof errorResponse | typeof validationErrorResponse>;
}

/** Random identifiers and tokens are checked for shape before any lookup. */
export const opaqueId = z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, "must be an identifier");
