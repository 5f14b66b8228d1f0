import { z } from "zod";

/** What every audit event shows, to its owner and to an operator; each API adds its own fields. */
export const auditEventFields = z.object({
  id: z.string(),
  at: z.string(),
  type: z.string(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
});
