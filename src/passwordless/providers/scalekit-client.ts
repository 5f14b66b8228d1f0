import { Code } from "@connectrpc/connect";
import { ScalekitClient, ScalekitServerException } from "@scalekit-sdk/node";
// The SDK's root export does not re-export the passwordless enums; only this deep path does.
import {
  PasswordlessType as SdkPasswordlessType,
  TemplateType as SdkTemplateType,
} from "@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/auth/passwordless_pb.js";
import { withTimeout } from "../../timeout.js";
import type { PasswordlessType, Template } from "../provider.js";

export type ScalekitPasswordlessType = PasswordlessType;
export type ScalekitTemplate = Template;

export interface ScalekitChallenge {
  authRequestId: string;
  expiresAt: Date;
  expiresInSeconds: number;
  passwordlessType: ScalekitPasswordlessType;
}

export interface ScalekitVerification {
  email: string;
  state: string | null;
  template: ScalekitTemplate;
  passwordlessType: ScalekitPasswordlessType;
}

export type ScalekitFailureKind =
  | "invalid_code"
  | "too_many_attempts"
  | "challenge_expired"
  | "challenge_used"
  | "invalid_link_token"
  | "rate_limited"
  | "unavailable";

/** A failure of a Scalekit call, reduced to what Latchkey acts on; the SDK error is the `cause`. */
export class ScalekitFailure extends Error {
  readonly kind: ScalekitFailureKind;
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ScalekitFailureKind, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(`Scalekit call failed: ${kind}`, { cause: options.cause });
    this.name = "ScalekitFailure";
    this.kind = kind;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export interface ScalekitClientOptions {
  environmentUrl: string;
  clientId: string;
  clientSecret: string;
  /** Budget for a whole call, including the SDK's token fetch and its retries. */
  timeoutMs: number;
}

type Operation = "send" | "resend" | "verifyCode" | "verifyLink";

/**
 * Scalekit limits mails to 2 per minute per address. The SDK keeps only the status and
 * `ErrorInfo` of a failure (no response metadata), so there is no server hint to pass on.
 */
const RATE_LIMIT_RETRY_AFTER_SECONDS = 60;

/**
 * `ErrorInfo.error_code` values that settle the kind on their own. Scalekit does not
 * publish these; they are the ones the contract-test fake sends. The status table below
 * is the fallback, so unknown codes still map sensibly.
 */
const kindByErrorCode: Record<string, ScalekitFailureKind> = {
  RATE_LIMIT_EXCEEDED: "rate_limited",
  PASSWORDLESS_EMAIL_RATE_LIMITED: "rate_limited",
  PASSWORDLESS_MAX_ATTEMPTS_EXCEEDED: "too_many_attempts",
  PASSWORDLESS_AUTH_REQUEST_EXPIRED: "challenge_expired",
};

/** What a gRPC status means for each call; anything not listed is `unavailable`. */
const kindByStatus: Record<Operation, Partial<Record<Code, ScalekitFailureKind>>> = {
  send: { [Code.ResourceExhausted]: "rate_limited" },
  resend: {
    [Code.ResourceExhausted]: "rate_limited",
    [Code.NotFound]: "challenge_expired",
    [Code.FailedPrecondition]: "challenge_expired",
  },
  verifyCode: {
    [Code.InvalidArgument]: "invalid_code",
    [Code.ResourceExhausted]: "too_many_attempts",
    // Scalekit forgets a request once it is verified: a live id it no longer knows was used.
    [Code.NotFound]: "challenge_used",
    [Code.FailedPrecondition]: "challenge_expired",
  },
  verifyLink: {
    [Code.InvalidArgument]: "invalid_link_token",
    [Code.NotFound]: "invalid_link_token",
    [Code.ResourceExhausted]: "too_many_attempts",
    [Code.FailedPrecondition]: "challenge_expired",
  },
};

/**
 * Bad credentials (the token endpoint's 401 surfaces as a raw axios error), network
 * errors, deadlines and unexpected statuses all become `unavailable`.
 */
function toFailure(operation: Operation, error: unknown): ScalekitFailure {
  if (error instanceof ScalekitFailure) return error;
  if (!(error instanceof ScalekitServerException)) {
    return new ScalekitFailure("unavailable", { cause: error });
  }
  const kind =
    (error.errorCode ? kindByErrorCode[error.errorCode] : undefined) ??
    kindByStatus[operation][error.grpcStatus] ??
    "unavailable";
  return new ScalekitFailure(kind, {
    cause: error,
    retryAfterSeconds: kind === "rate_limited" ? RATE_LIMIT_RETRY_AFTER_SECONDS : undefined,
  });
}

function toPasswordlessType(value: SdkPasswordlessType): ScalekitPasswordlessType {
  switch (value) {
    case SdkPasswordlessType.OTP:
      return "OTP";
    case SdkPasswordlessType.LINK:
      return "LINK";
    case SdkPasswordlessType.LINK_OTP:
      return "LINK_OTP";
    default:
      throw new ScalekitFailure("unavailable", { cause: new Error(`unexpected passwordless_type ${value}`) });
  }
}

/** Scalekit treats an unspecified template as SIGNIN. */
function toTemplate(value: SdkTemplateType | undefined): ScalekitTemplate {
  return value === SdkTemplateType.SIGNUP ? "SIGNUP" : "SIGNIN";
}

function toChallenge(response: {
  authRequestId: string;
  expiresAt: bigint;
  expiresIn: number;
  passwordlessType: SdkPasswordlessType;
}): ScalekitChallenge {
  return {
    authRequestId: response.authRequestId,
    expiresAt: new Date(Number(response.expiresAt) * 1000),
    expiresInSeconds: response.expiresIn,
    passwordlessType: toPasswordlessType(response.passwordlessType),
  };
}

function toVerification(response: {
  email: string;
  state?: string | undefined;
  template?: SdkTemplateType | undefined;
  passwordlessType: SdkPasswordlessType;
}): ScalekitVerification {
  return {
    email: response.email,
    state: response.state ?? null,
    template: toTemplate(response.template),
    passwordlessType: toPasswordlessType(response.passwordlessType),
  };
}

/**
 * Send, resend and verify through the official SDK, which fetches and refreshes its
 * access token by itself (first call unauthenticated, then `authorization: Bearer …`) and
 * retries UNAVAILABLE with back-off. Every function throws only `ScalekitFailure`.
 */
export function createScalekitClient(options: ScalekitClientOptions) {
  const sdk = new ScalekitClient(options.environmentUrl, options.clientId, options.clientSecret, {
    timeoutMs: options.timeoutMs,
  });

  async function call<T>(operation: Operation, run: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(
        run(),
        options.timeoutMs,
        () =>
          new ScalekitFailure("unavailable", {
            cause: new Error(`no answer within ${options.timeoutMs} ms`),
          }),
      );
    } catch (error) {
      throw toFailure(operation, error);
    }
  }

  return {
    /** Throws `rate_limited` or `unavailable`. */
    send(input: {
      email: string;
      template: ScalekitTemplate;
      state?: string | null;
      expiresInSeconds?: number;
      magicLinkAuthUri?: string;
    }): Promise<ScalekitChallenge> {
      return call("send", async () =>
        toChallenge(
          await sdk.passwordless.sendPasswordlessEmail(input.email, {
            template: SdkTemplateType[input.template],
            state: input.state ?? undefined,
            expiresIn: input.expiresInSeconds,
            magiclinkAuthUri: input.magicLinkAuthUri,
          }),
        ),
      );
    },

    /**
     * The answer may carry a new `authRequestId`; store it, the old one is dead.
     * Throws `challenge_expired`, `rate_limited` or `unavailable`.
     */
    resend(authRequestId: string): Promise<ScalekitChallenge> {
      return call("resend", async () =>
        toChallenge(await sdk.passwordless.resendPasswordlessEmail(authRequestId)),
      );
    },

    /**
     * Throws `invalid_code`, `too_many_attempts`, `challenge_expired`, `challenge_used`,
     * `rate_limited` or `unavailable`.
     */
    verifyCode(input: { authRequestId: string; code: string }): Promise<ScalekitVerification> {
      return call("verifyCode", async () => {
        // The SDK refuses an empty credential with a plain Error; it is simply a wrong code.
        if (!input.code) throw new ScalekitFailure("invalid_code");
        return toVerification(
          await sdk.passwordless.verifyPasswordlessEmail({ code: input.code }, input.authRequestId),
        );
      });
    },

    /** Throws `invalid_link_token`, `challenge_expired`, `too_many_attempts`, `rate_limited` or `unavailable`. */
    verifyLink(input: { linkToken: string; authRequestId?: string }): Promise<ScalekitVerification> {
      return call("verifyLink", async () => {
        if (!input.linkToken) throw new ScalekitFailure("invalid_link_token");
        return toVerification(
          await sdk.passwordless.verifyPasswordlessEmail({ linkToken: input.linkToken }, input.authRequestId),
        );
      });
    },
  };
}

export type ScalekitPasswordlessClient = ReturnType<typeof createScalekitClient>;
