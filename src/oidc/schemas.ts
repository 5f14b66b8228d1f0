import { z } from "zod";
import { opaqueId } from "../http/schemas.js";

export const interactionParams = z.object({
  uid: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/, "must be an identifier"),
});

export const interactionDetailsResponse = z
  .object({
    uid: z.string(),
    prompt: z.enum(["login", "consent"]),
    client: z.object({ client_id: z.string(), name: z.string(), first_party: z.boolean() }),
    scopes: z.array(z.string()),
    fresh_sign_in_required: z.boolean(),
  })
  .meta({ id: "InteractionDetails" });

export const consentBody = z.object({ decision: z.enum(["allow", "deny"]) }).strict();

export const redirectResponse = z.object({ redirect_to: z.string() }).meta({ id: "InteractionRedirect" });

export const connectedAppsResponse = z
  .object({
    apps: z.array(
      z.object({
        client_id: z.string(),
        name: z.string(),
        scopes: z.array(z.string()),
        last_used_at: z.string().meta({ format: "date-time" }),
      }),
    ),
  })
  .meta({ id: "ConnectedApps" });

export const clientIdParams = z.object({ client_id: opaqueId });

export const disconnectedResponse = z.object({ disconnected: z.literal(true) });
