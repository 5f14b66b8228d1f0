import { AppError } from "../../errors.js";
import { randomToken } from "../../security/crypto.js";
import { findChallengeById } from "../challenge-store.js";
import type { ChallengeDraft, IssuedSecrets, PasswordlessProvider, PasswordlessType } from "../provider.js";
import {
  createScalekitClient,
  type ScalekitChallenge,
  type ScalekitClientOptions,
  ScalekitFailure,
  type ScalekitPasswordlessClient,
  type ScalekitVerification,
} from "./scalekit-client.js";

/**
 * The query parameter that names Latchkey's challenge in the magic link Scalekit mails.
 * Scalekit's link tokens cannot be looked up without being used up, so the landing page
 * sends this id back with `link_token`: the challenge is found, and the same-browser
 * decision made, before Scalekit is asked anything.
 */
export const LINK_AUTH_REQUEST_ID_PARAMETER = "auth_request_id";

/** Catalogue errors for Scalekit's answers; the SDK error stays the internal cause. */
function toAppError(error: unknown): AppError {
  if (!(error instanceof ScalekitFailure)) return new AppError("provider_unavailable", { cause: error });
  switch (error.kind) {
    case "unavailable":
      return new AppError("provider_unavailable", { cause: error });
    case "rate_limited":
      return new AppError("rate_limited", { cause: error, retryAfterSeconds: error.retryAfterSeconds });
    default:
      return new AppError(error.kind, { cause: error });
  }
}

async function callScalekit<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toAppError(error);
  }
}

/** `issue` and `reissue` answer `provider_unavailable` when Scalekit's dashboard disagrees with PASSWORDLESS_TYPE. */
function assertSameType(sent: ScalekitChallenge, expected: PasswordlessType): void {
  if (sent.passwordlessType === expected) return;
  throw new AppError("provider_unavailable", {
    cause: new Error(
      `Scalekit's dashboard sends ${sent.passwordlessType} but PASSWORDLESS_TYPE is ${expected}; make them match`,
    ),
  });
}

/**
 * Scalekit keeps the code and the link. The row keeps a fresh random stamp per mail in
 * their place, so "this challenge has a code / a link" and the service's guard against a
 * resend racing a verification work as for any provider.
 */
function stampsFor(type: PasswordlessType, providerRequestId: string): IssuedSecrets {
  return {
    codeHash: type === "LINK" ? null : `scalekit:${randomToken(16)}`,
    linkHash: type === "OTP" ? null : `scalekit:${randomToken(16)}`,
    providerRequestId,
  };
}

function magicLinkAuthUri(draft: ChallengeDraft): string {
  const url = new URL(draft.linkBase);
  url.searchParams.set(LINK_AUTH_REQUEST_ID_PARAMETER, draft.id);
  return url.toString();
}

/** Scalekit verified the request Latchkey named, not some other one. */
function isFor(challenge: { email: string }, verification: ScalekitVerification): boolean {
  return verification.email.toLowerCase() === challenge.email.toLowerCase();
}

/**
 * Scalekit sends the mail and checks the code and link; Latchkey keeps the challenge row
 * (email, state, template, expiry, attempts, binding), so its limits, failure budget,
 * same-browser rule and redirect allow-list apply exactly as with the built-in engine.
 * Scalekit's own `auth_request_id` never leaves the server. Failures become catalogue
 * errors: `rate_limited` (with Retry-After), `too_many_attempts`, `challenge_expired`,
 * `challenge_used`, and `provider_unavailable` for bad credentials, network errors and
 * timeouts.
 */
export function createScalekitProvider({
  client,
}: {
  client: ScalekitPasswordlessClient;
}): PasswordlessProvider {
  async function issue(draft: ChallengeDraft): Promise<IssuedSecrets> {
    const sent = await callScalekit(() =>
      client.send({
        email: draft.email,
        template: draft.template,
        state: draft.state,
        expiresInSeconds: draft.expiresInSeconds,
        magicLinkAuthUri: magicLinkAuthUri(draft),
      }),
    );
    assertSameType(sent, draft.passwordlessType);
    return stampsFor(draft.passwordlessType, sent.authRequestId);
  }

  return {
    name: "scalekit",
    provesLinkOnLookup: false,
    issue,

    async reissue(challenge, draft) {
      const { providerRequestId } = challenge;
      // A challenge started before the switch to Scalekit has nothing to resend there.
      if (!providerRequestId) return issue(draft);
      const sent = await callScalekit(() => client.resend(providerRequestId));
      assertSameType(sent, draft.passwordlessType);
      // The answer may carry a new id; the service stores it, the old one is dead.
      return stampsFor(draft.passwordlessType, sent.authRequestId);
    },

    async checkCode(challenge, code) {
      const { providerRequestId } = challenge;
      if (!providerRequestId) return false;
      try {
        return isFor(challenge, await client.verifyCode({ authRequestId: providerRequestId, code }));
      } catch (error) {
        if (error instanceof ScalekitFailure && error.kind === "invalid_code") return false;
        throw toAppError(error);
      }
    },

    async findLinkChallenge(db, { authRequestId }) {
      if (authRequestId === undefined) return undefined;
      const challenge = await findChallengeById(db, authRequestId);
      return challenge?.providerRequestId && challenge.linkHash !== null ? challenge : undefined;
    },

    async redeemLink(challenge, linkToken) {
      const { providerRequestId } = challenge;
      if (!providerRequestId) return false;
      try {
        // Always with Scalekit's request id: the link works whether or not the dashboard
        // enforces the same browser, and a token of another request is refused.
        return isFor(challenge, await client.verifyLink({ linkToken, authRequestId: providerRequestId }));
      } catch (error) {
        if (error instanceof ScalekitFailure && error.kind === "invalid_link_token") return false;
        throw toAppError(error);
      }
    },
  };
}

/** The provider over the official SDK, as `PASSWORDLESS_PROVIDER=scalekit` selects it. */
export function connectScalekitProvider(options: ScalekitClientOptions): PasswordlessProvider {
  return createScalekitProvider({ client: createScalekitClient(options) });
}
