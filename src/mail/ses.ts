import type * as Ses from "@aws-sdk/client-sesv2";
import { loadOnFirstUse } from "../load-on-first-use.js";
import { headerList, type MailTransport, PermanentDeliveryError } from "./transports.js";

/**
 * Amazon SES (v2 API) through the official SDK. Credentials: the given keys, or the SDK's
 * default chain (instance role, shared config) when none are set.
 */

/** SES errors that no retry can change (docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html). */
const SES_PERMANENT = new Set([
  "MessageRejected",
  "MailFromDomainNotVerifiedException",
  "AccountSuspendedException",
  "BadRequestException",
  "NotFoundException",
]);

export interface SesSettings {
  region: string;
  from: string;
  endpoint?: string | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  sessionToken?: string | undefined;
}

export function createSesTransport(settings: SesSettings): MailTransport {
  const { SESv2Client, SendEmailCommand } = loadOnFirstUse<typeof Ses>("@aws-sdk/client-sesv2");
  const client = new SESv2Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.accessKeyId && settings.secretAccessKey
      ? {
          credentials: {
            accessKeyId: settings.accessKeyId,
            secretAccessKey: settings.secretAccessKey,
            ...(settings.sessionToken ? { sessionToken: settings.sessionToken } : {}),
          },
        }
      : {}),
    maxAttempts: 1,
  });
  return {
    name: "ses",
    async send(mail) {
      try {
        const result = await client.send(
          new SendEmailCommand({
            FromEmailAddress: settings.from,
            Destination: { ToAddresses: [mail.to] },
            Content: {
              Simple: {
                Subject: { Data: mail.subject, Charset: "UTF-8" },
                Body: {
                  Text: { Data: mail.text, Charset: "UTF-8" },
                  Html: { Data: mail.html, Charset: "UTF-8" },
                },
                Headers: headerList(mail.headers),
              },
            },
          }),
        );
        return { providerMessageId: result.MessageId };
      } catch (error) {
        const name = error instanceof Error ? error.name : "error";
        if (SES_PERMANENT.has(name)) throw new PermanentDeliveryError(`ses_${name}`, { cause: error });
        const code = /^[A-Za-z0-9]{1,36}$/.test(name) ? `ses_${name}` : "ses_error";
        throw Object.assign(new Error(`SES error ${code}`), { code });
      }
    },
    async close() {
      client.destroy();
    },
  };
}
