import {
  headerList,
  type MailTransport,
  type OutgoingMail,
  PermanentDeliveryError,
  type SendResult,
} from "./transports.js";

/**
 * Postmark and Resend through their documented HTTP APIs. A refusal no retry can change
 * (bad or suppressed address, invalid message) throws PermanentDeliveryError, so the
 * outbox fails the mail at once; anything else (5xx, 429, network) throws an error the
 * outbox retries. Errors carry codes only: a provider's message often quotes the address.
 */

const TIMEOUT_MS = 15_000;

class ProviderError extends Error {
  constructor(readonly code: string) {
    super(`mail provider error ${code}`);
    this.name = "ProviderError";
  }
}

async function postJson(url: string, headers: Record<string, string>, body: unknown) {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      redirect: "error",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ProviderError(
      error instanceof Error && error.name === "TimeoutError" ? "timeout" : "network_error",
    );
  }
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, json };
}

const apiUrl = (base: string, path: string) => `${base.replace(/\/+$/, "")}${path}`;

/** Postmark error codes that mean this message can never be delivered (postmarkapp.com/developer/api/overview#error-codes). */
const POSTMARK_PERMANENT = new Set([300, 406]);

export function createPostmarkTransport({
  serverToken,
  from,
  apiBaseUrl = "https://api.postmarkapp.com",
}: {
  serverToken: string;
  from: string;
  apiBaseUrl?: string | undefined;
}): MailTransport {
  return {
    name: "postmark",
    async send(mail: OutgoingMail): Promise<SendResult> {
      const { status, json } = await postJson(
        apiUrl(apiBaseUrl, "/email"),
        { "x-postmark-server-token": serverToken },
        {
          From: from,
          To: mail.to,
          Subject: mail.subject,
          TextBody: mail.text,
          HtmlBody: mail.html,
          MessageStream: "outbound",
          Headers: headerList(mail.headers),
        },
      );
      const errorCode = Number(json.ErrorCode ?? 0);
      if (status === 200 && errorCode === 0)
        return { providerMessageId: String(json.MessageID ?? "") || undefined };
      if (status === 422 && POSTMARK_PERMANENT.has(errorCode))
        throw new PermanentDeliveryError(`postmark_${errorCode}`);
      throw new ProviderError(status === 422 ? `postmark_${errorCode}` : `postmark_http_${status}`);
    },
    async close() {},
  };
}

export function createResendTransport({
  apiKey,
  from,
  apiBaseUrl = "https://api.resend.com",
}: {
  apiKey: string;
  from: string;
  apiBaseUrl?: string | undefined;
}): MailTransport {
  return {
    name: "resend",
    async send(mail: OutgoingMail): Promise<SendResult> {
      const { status, json } = await postJson(
        apiUrl(apiBaseUrl, "/emails"),
        { authorization: `Bearer ${apiKey}` },
        {
          from,
          to: [mail.to],
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: mail.headers,
        },
      );
      if (status >= 200 && status < 300)
        return { providerMessageId: typeof json.id === "string" ? json.id : undefined };
      // 422: the message itself is invalid (resend.com/docs/api-reference/errors); a retry sends the same message.
      if (status === 422) throw new PermanentDeliveryError("resend_422");
      throw new ProviderError(`resend_http_${status}`);
    },
    async close() {},
  };
}
