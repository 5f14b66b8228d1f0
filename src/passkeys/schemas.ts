import { z } from "zod";
import { opaqueId } from "../http/schemas.js";
import { MAX_PASSKEY_NAME_LENGTH } from "./authenticator-names.js";

/** WebAuthn's binary fields travel as base64url (the JSON form browsers and SimpleWebAuthn use). */
const base64url = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .regex(/^[A-Za-z0-9_-]*$/, "must be base64url");

const credentialId = base64url(1366).min(16);

const tokenDelivery = z.enum(["cookie", "body"]).default("cookie").meta({
  description:
    "`body`: for non-browser clients. The ceremony token and the session tokens come back in the JSON, no cookies are set.",
});

const ceremonyToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/)
  .optional()
  .meta({
    description:
      "For non-browser clients: the `ceremony_token` from the options call. Browsers send the cookie.",
  });

const passkeyName = z
  .string()
  .trim()
  .min(1)
  .max(MAX_PASSKEY_NAME_LENGTH)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, "must not contain control characters");

const transports = z
  .array(z.enum(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]))
  .max(8)
  .optional();

/** The fields every `PublicKeyCredential` JSON has besides its `response`. */
const credentialFields = {
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
};

export const registrationResponse = z
  .object({
    ...credentialFields,
    response: z.object({
      clientDataJSON: base64url(4096),
      attestationObject: base64url(8192),
      authenticatorData: base64url(4096).optional(),
      publicKey: base64url(4096).optional(),
      publicKeyAlgorithm: z.number().int().optional(),
      transports,
    }),
  })
  .meta({ id: "PasskeyRegistrationResponse", description: "The browser's `PublicKeyCredential`, as JSON." });

export const authenticationResponse = z
  .object({
    ...credentialFields,
    response: z.object({
      clientDataJSON: base64url(4096),
      authenticatorData: base64url(4096),
      // Room for post-quantum passkeys: an ML-DSA-87 signature is 4,627 bytes (6,170 characters).
      signature: base64url(8192),
      userHandle: base64url(128).optional(),
    }),
  })
  .meta({ id: "PasskeyAuthenticationResponse", description: "The browser's assertion, as JSON." });

export const registrationOptionsBody = z
  .object({ token_delivery: tokenDelivery })
  .nullish()
  .meta({ id: "PasskeyRegistrationOptionsRequest" });

export const authenticationOptionsBody = z
  .object({
    step_up: z.boolean().default(false).meta({
      description:
        "Re-authenticate the signed-in user (before removing a passkey or signing out everywhere).",
    }),
    token_delivery: tokenDelivery,
  })
  .nullish()
  .meta({ id: "PasskeyAuthenticationOptionsRequest" });

export const ceremonyOptionsResponse = z
  .object({
    options: z.record(z.string(), z.unknown()).meta({
      description:
        "Pass to `navigator.credentials.create()`/`get()` (e.g. SimpleWebAuthn's `startRegistration`).",
    }),
    ceremony_token: z.string().optional(),
  })
  .meta({ id: "PasskeyCeremonyOptions" });

export const registrationVerifyBody = z
  .object({
    response: registrationResponse,
    name: passkeyName.optional().meta({
      description: 'A name when the authenticator is not recognised, e.g. the device ("Chrome on macOS").',
    }),
    ceremony_token: ceremonyToken,
  })
  .meta({ id: "PasskeyRegistrationVerifyRequest" });

export const authenticationVerifyBody = z
  .object({
    response: authenticationResponse,
    ceremony_token: ceremonyToken,
    token_delivery: tokenDelivery,
  })
  .meta({ id: "PasskeyAuthenticationVerifyRequest" });

const isoTime = z.string().meta({ example: "2026-11-25T10:00:00.000Z" });

export const passkeyResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    created_at: isoTime,
    last_used_at: isoTime.nullable(),
    synced: z
      .boolean()
      .meta({ description: "Backup-eligible (a synced passkey) rather than bound to one device." }),
    backed_up: z.boolean(),
    aaguid: z.string().nullable(),
    transports: z.array(z.string()),
  })
  .meta({ id: "Passkey" });

export const passkeyListResponse = z
  .object({ passkeys: z.array(passkeyResponse) })
  .meta({ id: "PasskeyList" });

export const authenticationVerifyResponse = z
  .object({
    email: z.string(),
    user_id: z.string(),
    amr: z.array(z.string()),
    step_up: z.boolean(),
    access_token: z.string().optional(),
    refresh_token: z.string().optional(),
    token_type: z.literal("Bearer").optional(),
    expires_in: z.number().int().optional(),
  })
  .meta({ id: "PasskeySignIn" });

export const passkeyIdParams = z.object({ id: opaqueId });
export const renameBody = z.object({ name: passkeyName }).meta({ id: "PasskeyRename" });
export const removedResponse = z.object({ removed: z.literal(true) }).meta({ id: "PasskeyRemoved" });
