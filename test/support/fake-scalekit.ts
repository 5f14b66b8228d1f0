/**
 * An offline stand-in for Scalekit's passwordless service that speaks the wire protocol
 * the official Node SDK uses, so contract tests exercise the real SDK end to end:
 *
 * - classic gRPC (`application/grpc+proto`) over cleartext HTTP/2 for
 *   `scalekit.v1.auth.passwordless.PasswordlessService`, served by `@connectrpc/connect-node`
 *   from the SDK's own generated service definition;
 * - `POST /oauth/token` (client credentials, form body) over HTTP/1.1;
 * - both on one port: a small front peeks at the first bytes of each connection and hands
 *   HTTP/2 prior-knowledge connections (the `PRI * HTTP/2.0` preface) to an HTTP/2 server
 *   and everything else to an HTTP/1 server.
 *
 * Behaviour follows Scalekit's documented limits: 6-digit codes, 5 wrong attempts per auth
 * request, 2 mails per minute per address, expiry 60..3600 s (default 300). Scalekit does
 * not publish the status codes or `ErrorInfo.error_code` values of its passwordless
 * failures, so the ones below are this fake's assumption (see `fakeScalekitErrorCodes`):
 *
 * | situation                           | gRPC status         | error_code                          |
 * | ----------------------------------- | ------------------- | ----------------------------------- |
 * | missing or unknown bearer token     | UNAUTHENTICATED     | UNAUTHENTICATED                     |
 * | 3rd mail to an address in a minute  | RESOURCE_EXHAUSTED  | PASSWORDLESS_EMAIL_RATE_LIMITED     |
 * | injected `rate-limited`             | RESOURCE_EXHAUSTED  | RATE_LIMIT_EXCEEDED                 |
 * | wrong code (attempts 1..5)          | INVALID_ARGUMENT    | PASSWORDLESS_INVALID_CODE           |
 * | any verify after 5 wrong codes      | RESOURCE_EXHAUSTED  | PASSWORDLESS_MAX_ATTEMPTS_EXCEEDED  |
 * | expired auth request (code or link) | FAILED_PRECONDITION | PASSWORDLESS_AUTH_REQUEST_EXPIRED   |
 * | unknown, replayed or foreign link   | INVALID_ARGUMENT    | PASSWORDLESS_INVALID_LINK_TOKEN     |
 * | unknown or already used request id  | NOT_FOUND           | PASSWORDLESS_AUTH_REQUEST_NOT_FOUND |
 * | malformed request                   | INVALID_ARGUMENT    | INVALID_REQUEST                     |
 * | injected `unavailable`              | UNAVAILABLE         | SERVICE_UNAVAILABLE                 |
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { toJson } from "@bufbuild/protobuf";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { Code, ConnectError, createContextKey, createContextValues } from "@connectrpc/connect";
import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import {
  PasswordlessService,
  PasswordlessType,
  ResendPasswordlessRequestSchema,
  SendPasswordlessRequestSchema,
  type TemplateType,
  VerifyPasswordLessRequestSchema,
} from "@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/auth/passwordless_pb.js";
import { ErrorInfoSchema } from "@scalekit-sdk/node/lib/pkg/grpc/scalekit/v1/errdetails/errdetails_pb.js";

export const fakeScalekitErrorCodes = {
  unauthenticated: "UNAUTHENTICATED",
  emailRateLimited: "PASSWORDLESS_EMAIL_RATE_LIMITED",
  rateLimited: "RATE_LIMIT_EXCEEDED",
  invalidCode: "PASSWORDLESS_INVALID_CODE",
  maxAttemptsExceeded: "PASSWORDLESS_MAX_ATTEMPTS_EXCEEDED",
  authRequestExpired: "PASSWORDLESS_AUTH_REQUEST_EXPIRED",
  invalidLinkToken: "PASSWORDLESS_INVALID_LINK_TOKEN",
  authRequestNotFound: "PASSWORDLESS_AUTH_REQUEST_NOT_FOUND",
  invalidRequest: "INVALID_REQUEST",
  unavailable: "SERVICE_UNAVAILABLE",
} as const;

export type FakeScalekitPasswordlessType = "OTP" | "LINK" | "LINK_OTP";

/** What the fake "mails": `code` is null for LINK, `linkToken`/`magicLink` are null for OTP. */
export interface FakeScalekitEmail {
  to: string;
  code: string | null;
  linkToken: string | null;
  magicLink: string | null;
  authRequestId: string;
}

export interface FakeScalekitCall {
  method: "SendPasswordlessEmail" | "VerifyPasswordlessEmail" | "ResendPasswordlessEmail" | "token";
  /** gRPC requests as proto JSON with proto field names (`auth_request_id`); token requests as form fields. */
  request: Record<string, unknown>;
  /** The `authorization` header as received, if any. */
  authorization: string | undefined;
  /** As received: `application/grpc+proto` over "2.0" for gRPC, a form over "1.1" for tokens. */
  contentType: string | undefined;
  httpVersion: string;
  /** "OK" or the gRPC code name (e.g. "Unauthenticated") for gRPC; the HTTP status for token calls. */
  outcome: string;
}

export type FakeScalekitFailure = "unauthenticated-credentials" | "rate-limited" | "unavailable" | "hang";

export interface FakeScalekitOptions {
  onEmail?: (email: FakeScalekitEmail) => void;
  /** The dashboard's passwordless type. Default LINK_OTP. */
  passwordlessType?: FakeScalekitPasswordlessType;
  /** Whether resend answers with a new auth_request_id (the old one dies). Default true. */
  resendIssuesNewAuthRequestId?: boolean;
  /** The dashboard's "enforce same browser origin": link verification needs auth_request_id. */
  sameBrowserEnforced?: boolean;
  /** Clock in epoch milliseconds; pass a steppable one to expire requests without sleeping. */
  now?: () => number;
  clientId?: string;
  clientSecret?: string;
}

export interface FakeScalekit {
  /** The environment URL to give the SDK (`http://127.0.0.1:<port>`). */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Every gRPC and token call in arrival order. Cleared in place by `reset()`. */
  calls: FakeScalekitCall[];
  /**
   * Fails the next `times` calls (default: all until `reset()`): gRPC calls for
   * `rate-limited`, `unavailable` and `hang`; token requests for
   * `unauthenticated-credentials`, which also revokes every token already issued.
   */
  failWith(failure: FakeScalekitFailure, options?: { times?: number }): void;
  /** Forgets calls, auth requests, mail counters and injected failures; issued tokens stay valid. */
  reset(): void;
  /** Stops listening and drops every connection, releasing hanging calls. Idempotent. */
  close(): Promise<void>;
}

const MAX_WRONG_ATTEMPTS = 5;
const MAILS_PER_WINDOW = 2;
const MAIL_WINDOW_MS = 60_000;
const MIN_EXPIRES_IN_SECONDS = 60;
const MAX_EXPIRES_IN_SECONDS = 3600;
const DEFAULT_EXPIRES_IN_SECONDS = 300;
const TOKEN_TTL_SECONDS = 3600;
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const httpVersionKey = createContextKey("unknown", { description: "HTTP version of the request" });

interface AuthRequest {
  id: string;
  email: string;
  code: string | null;
  linkToken: string | null;
  magiclinkAuthUri: string | undefined;
  state: string | undefined;
  template: TemplateType | undefined;
  expiresInSeconds: number;
  expiresAtMs: number;
  wrongAttempts: number;
}

function failure(code: Code, errorCode: string, message: string): ConnectError {
  return new ConnectError(message, code, undefined, [{ desc: ErrorInfoSchema, value: { errorCode } }]);
}

function toProtoJson<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>) {
  return toJson(schema, message, { useProtoFieldName: true }) as Record<string, unknown>;
}

function magicLinkFor(authUri: string, linkToken: string): string {
  const url = new URL(authUri);
  url.searchParams.set("link_token", linkToken);
  return url.toString();
}

export async function startFakeScalekit(options: FakeScalekitOptions = {}): Promise<FakeScalekit> {
  const now = options.now ?? Date.now;
  const passwordlessType = PasswordlessType[options.passwordlessType ?? "LINK_OTP"];
  const sendsCode = passwordlessType !== PasswordlessType.LINK;
  const sendsLink = passwordlessType !== PasswordlessType.OTP;
  const resendIssuesNewId = options.resendIssuesNewAuthRequestId ?? true;
  const clientId = options.clientId ?? `skc_${randomBytes(8).toString("hex")}`;
  const clientSecret = options.clientSecret ?? `test_${randomBytes(24).toString("hex")}`;

  const calls: FakeScalekitCall[] = [];
  const tokens = new Set<string>();
  const requests = new Map<string, AuthRequest>();
  const requestIdByLinkToken = new Map<string, string>();
  const mailTimesByAddress = new Map<string, number[]>();
  let injected: { failure: FakeScalekitFailure; remaining: number } | undefined;
  const closing = new AbortController();

  function takeInjected(forToken: boolean): FakeScalekitFailure | undefined {
    if (!injected || injected.remaining <= 0) return undefined;
    if ((injected.failure === "unauthenticated-credentials") !== forToken) return undefined;
    injected.remaining -= 1;
    return injected.failure;
  }

  function issueCredentials(request: AuthRequest): void {
    if (request.linkToken) requestIdByLinkToken.delete(request.linkToken);
    const previousCode = request.code;
    do {
      request.code = sendsCode ? randomInt(0, 1_000_000).toString().padStart(6, "0") : null;
    } while (request.code !== null && request.code === previousCode);
    request.linkToken = sendsLink ? `${randomUUID()}_l` : null;
    if (request.linkToken) requestIdByLinkToken.set(request.linkToken, request.id);
    request.wrongAttempts = 0;
    request.expiresAtMs = now() + request.expiresInSeconds * 1000;
  }

  function checkMailAllowance(email: string): void {
    const address = email.toLowerCase();
    const recent = (mailTimesByAddress.get(address) ?? []).filter((time) => time > now() - MAIL_WINDOW_MS);
    if (recent.length >= MAILS_PER_WINDOW) {
      const retryAfterSeconds = Math.ceil((recent[0]! + MAIL_WINDOW_MS - now()) / 1000);
      throw failure(
        Code.ResourceExhausted,
        fakeScalekitErrorCodes.emailRateLimited,
        `at most ${MAILS_PER_WINDOW} emails per minute per address; retry in ${retryAfterSeconds} s`,
      );
    }
    recent.push(now());
    mailTimesByAddress.set(address, recent);
  }

  function mail(request: AuthRequest): void {
    options.onEmail?.({
      to: request.email,
      code: request.code,
      linkToken: request.linkToken,
      magicLink:
        request.linkToken && request.magiclinkAuthUri
          ? magicLinkFor(request.magiclinkAuthUri, request.linkToken)
          : null,
      authRequestId: request.id,
    });
  }

  function challengeResponse(request: AuthRequest) {
    return {
      authRequestId: request.id,
      expiresAt: BigInt(Math.floor(request.expiresAtMs / 1000)),
      expiresIn: request.expiresInSeconds,
      passwordlessType,
    };
  }

  function verificationResponse(request: AuthRequest) {
    requests.delete(request.id);
    if (request.linkToken) requestIdByLinkToken.delete(request.linkToken);
    return {
      email: request.email,
      state: request.state,
      template: request.template,
      passwordlessType,
    };
  }

  function isExpired(request: AuthRequest): boolean {
    return now() >= request.expiresAtMs;
  }

  function expired(): ConnectError {
    return failure(
      Code.FailedPrecondition,
      fakeScalekitErrorCodes.authRequestExpired,
      "auth request has expired",
    );
  }

  function invalidLinkToken(): ConnectError {
    return failure(Code.InvalidArgument, fakeScalekitErrorCodes.invalidLinkToken, "invalid link token");
  }

  function invalidRequest(message: string): ConnectError {
    return failure(Code.InvalidArgument, fakeScalekitErrorCodes.invalidRequest, message);
  }

  /** The auth request `id` names, or a NotFound failure. */
  function authRequestById(id: string): AuthRequest {
    const authRequest = requests.get(id);
    if (!authRequest) {
      throw failure(Code.NotFound, fakeScalekitErrorCodes.authRequestNotFound, "auth request not found");
    }
    return authRequest;
  }

  /** Refuses an auth request that has expired or used up its wrong attempts. */
  function checkStillVerifiable(authRequest: AuthRequest): void {
    if (isExpired(authRequest)) throw expired();
    if (authRequest.wrongAttempts >= MAX_WRONG_ATTEMPTS) {
      throw failure(
        Code.ResourceExhausted,
        fakeScalekitErrorCodes.maxAttemptsExceeded,
        "too many wrong codes for this auth request",
      );
    }
  }

  async function hangUntilReleased(context: HandlerContext): Promise<never> {
    return new Promise<never>((_resolve, reject) => {
      const release = () => reject(new ConnectError("hanging call released", Code.Canceled));
      if (context.signal.aborted || closing.signal.aborted) release();
      context.signal.addEventListener("abort", release, { once: true });
      closing.signal.addEventListener("abort", release, { once: true });
    });
  }

  /** Records the call, applies injected failures and the bearer check, then runs `handle`. */
  async function serve<Response>(
    method: FakeScalekitCall["method"],
    request: Record<string, unknown>,
    context: HandlerContext,
    handle: () => Response,
  ): Promise<Response> {
    const call: FakeScalekitCall = {
      method,
      request,
      authorization: context.requestHeader.get("authorization") ?? undefined,
      contentType: context.requestHeader.get("content-type") ?? undefined,
      httpVersion: context.values.get(httpVersionKey),
      outcome: "pending",
    };
    calls.push(call);
    try {
      const injectedFailure = takeInjected(false);
      if (injectedFailure === "hang") await hangUntilReleased(context);
      if (injectedFailure === "rate-limited") {
        throw failure(Code.ResourceExhausted, fakeScalekitErrorCodes.rateLimited, "rate limit exceeded");
      }
      if (injectedFailure === "unavailable") {
        throw failure(Code.Unavailable, fakeScalekitErrorCodes.unavailable, "service unavailable");
      }
      const token = call.authorization?.match(/^Bearer (.+)$/)?.[1];
      if (!token || !tokens.has(token)) {
        throw failure(
          Code.Unauthenticated,
          fakeScalekitErrorCodes.unauthenticated,
          "missing or invalid access token",
        );
      }
      const response = handle();
      call.outcome = "OK";
      return response;
    } catch (error) {
      call.outcome = error instanceof ConnectError ? Code[error.code] : Code[Code.Internal];
      throw error;
    }
  }

  const routes = (router: ConnectRouter) => {
    router.service(PasswordlessService, {
      sendPasswordlessEmail: (request, context) =>
        serve("SendPasswordlessEmail", toProtoJson(SendPasswordlessRequestSchema, request), context, () => {
          if (!/^[^@\s]+@[^@\s]+$/.test(request.email)) throw invalidRequest("email must be a valid address");
          const expiresInSeconds = request.expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS;
          if (expiresInSeconds < MIN_EXPIRES_IN_SECONDS || expiresInSeconds > MAX_EXPIRES_IN_SECONDS) {
            throw invalidRequest(
              `expires_in must be between ${MIN_EXPIRES_IN_SECONDS} and ${MAX_EXPIRES_IN_SECONDS}`,
            );
          }
          if (sendsLink && !request.magiclinkAuthUri) {
            throw invalidRequest("magiclink_auth_uri is required when magic links are enabled");
          }
          checkMailAllowance(request.email);
          const authRequest: AuthRequest = {
            id: randomBytes(32).toString("base64url"),
            email: request.email,
            code: null,
            linkToken: null,
            magiclinkAuthUri: request.magiclinkAuthUri,
            state: request.state,
            template: request.template,
            expiresInSeconds,
            expiresAtMs: 0,
            wrongAttempts: 0,
          };
          issueCredentials(authRequest);
          requests.set(authRequest.id, authRequest);
          mail(authRequest);
          return challengeResponse(authRequest);
        }),

      resendPasswordlessEmail: (request, context) =>
        serve(
          "ResendPasswordlessEmail",
          toProtoJson(ResendPasswordlessRequestSchema, request),
          context,
          () => {
            const authRequest = authRequestById(request.authRequestId);
            checkMailAllowance(authRequest.email);
            if (resendIssuesNewId) {
              requests.delete(authRequest.id);
              authRequest.id = randomBytes(32).toString("base64url");
              requests.set(authRequest.id, authRequest);
            }
            issueCredentials(authRequest);
            mail(authRequest);
            return challengeResponse(authRequest);
          },
        ),

      verifyPasswordlessEmail: (request, context) =>
        serve(
          "VerifyPasswordlessEmail",
          toProtoJson(VerifyPasswordLessRequestSchema, request),
          context,
          () => {
            const credential = request.authCredential;
            if (credential.case === "code") {
              if (!request.authRequestId)
                throw invalidRequest("auth_request_id is required to verify a code");
              const authRequest = authRequestById(request.authRequestId);
              checkStillVerifiable(authRequest);
              if (authRequest.code === null || authRequest.code !== credential.value) {
                authRequest.wrongAttempts += 1;
                throw failure(Code.InvalidArgument, fakeScalekitErrorCodes.invalidCode, "invalid code");
              }
              return verificationResponse(authRequest);
            }
            if (credential.case === "linkToken") {
              const id = requestIdByLinkToken.get(credential.value);
              const authRequest = id === undefined ? undefined : requests.get(id);
              if (!authRequest) throw invalidLinkToken();
              if (options.sameBrowserEnforced && !request.authRequestId) {
                throw invalidRequest("auth_request_id is required: same-browser enforcement is on");
              }
              if (request.authRequestId !== undefined && request.authRequestId !== authRequest.id) {
                throw invalidLinkToken();
              }
              checkStillVerifiable(authRequest);
              return verificationResponse(authRequest);
            }
            throw invalidRequest("either code or link_token is required");
          },
        ),
    });
  };

  const serveToken: NonNullable<ConnectNodeAdapterOptions["fallback"]> = (request, response) => {
    if (request.method !== "POST" || new URL(request.url ?? "/", "http://fake").pathname !== "/oauth/token") {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "not_found" }));
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const call: FakeScalekitCall = {
        method: "token",
        request: Object.fromEntries(form),
        authorization: request.headers.authorization,
        contentType: request.headers["content-type"],
        httpVersion: request.httpVersion,
        outcome: "pending",
      };
      calls.push(call);
      const answer = (status: number, body: Record<string, unknown>) => {
        call.outcome = String(status);
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      if (form.get("grant_type") !== "client_credentials") {
        answer(400, { error: "unsupported_grant_type" });
        return;
      }
      const isKnownClient = form.get("client_id") === clientId && form.get("client_secret") === clientSecret;
      if (takeInjected(true) || !isKnownClient) {
        answer(401, { error: "invalid_client", error_description: "client authentication failed" });
        return;
      }
      const accessToken = randomBytes(24).toString("base64url");
      tokens.add(accessToken);
      answer(200, { access_token: accessToken, token_type: "Bearer", expires_in: TOKEN_TTL_SECONDS });
    });
  };

  const handler = connectNodeAdapter({
    routes,
    fallback: serveToken,
    grpc: true,
    grpcWeb: false,
    connect: false,
    shutdownSignal: closing.signal,
    contextValues: (request) => createContextValues().set(httpVersionKey, request.httpVersion),
  });
  const http1Server = http.createServer(handler);
  const http2Server = http2.createServer(handler);
  const sockets = new Set<net.Socket>();

  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let head = Buffer.alloc(0);
    const route = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const length = Math.min(head.length, HTTP2_PREFACE.length);
      const isHttp2 = head.subarray(0, length).equals(HTTP2_PREFACE.subarray(0, length));
      if (isHttp2 && length < HTTP2_PREFACE.length) return;
      socket.off("data", route);
      socket.pause();
      socket.unshift(head);
      (isHttp2 ? http2Server : http1Server).emit("connection", socket);
      process.nextTick(() => socket.resume());
    };
    socket.on("data", route);
  });

  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen(0, "127.0.0.1", () => resolve());
  });
  const address = front.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}`,
    clientId,
    clientSecret,
    calls,
    failWith(failure, { times = Number.POSITIVE_INFINITY } = {}) {
      injected = { failure, remaining: times };
      if (failure === "unauthenticated-credentials") tokens.clear();
    },
    reset() {
      calls.length = 0;
      requests.clear();
      requestIdByLinkToken.clear();
      mailTimesByAddress.clear();
      injected = undefined;
    },
    async close() {
      if (closing.signal.aborted) return;
      closing.abort();
      const closed = new Promise<void>((resolve) => front.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      http1Server.close();
      http2Server.close();
      await closed;
    },
  };
}
