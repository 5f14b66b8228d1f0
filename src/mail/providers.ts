import type { Config } from "../config.js";
import { createPostmarkTransport, createResendTransport } from "./http-providers.js";
import { createSesTransport } from "./ses.js";
import { createSmtpTransport, type MailTransport } from "./transports.js";

/** The transport MAIL_TRANSPORT names, or undefined when none is configured (dev mailbox). loadConfig has checked the credentials. */
export function createConfiguredTransport(
  config: Pick<Config, "mail" | "mailProvider">,
): MailTransport | undefined {
  const { mail, mailProvider: provider } = config;
  switch (provider.transport) {
    case "smtp":
      return mail.smtpUrl ? createSmtpTransport({ smtpUrl: mail.smtpUrl, from: mail.from }) : undefined;
    case "postmark":
      return createPostmarkTransport({
        serverToken: provider.postmarkServerToken ?? "",
        from: mail.from,
        apiBaseUrl: provider.apiUrl,
      });
    case "resend":
      return createResendTransport({
        apiKey: provider.resendApiKey ?? "",
        from: mail.from,
        apiBaseUrl: provider.apiUrl,
      });
    case "ses":
      return createSesTransport({
        ...provider.ses,
        region: provider.ses.region ?? "",
        from: mail.from,
        endpoint: provider.apiUrl,
      });
    default:
      return undefined;
  }
}
