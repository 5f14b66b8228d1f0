import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";

import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Db } from "../db/database.js";
import { AppError } from "../errors.js";
import { importOnFirstUse } from "../load-on-first-use.js";
import type { AuditLog } from "../security/audit.js";
import { keyedHash, randomId, randomToken } from "../security/crypto.js";
import type { IssuedTokens, RequestContext, SessionService, SessionState } from "../sessions/index.js";
import { findUserById } from "../users/index.js";
import { verifyAssertion } from "./assertion.js";
import { namePasskey } from "./authenticator-names.js";
import { checkNewCredential } from "./new-credential.js";

/** SimpleWebAuthn (and its X.509 and ASN.1 parsers) is loaded by the first passkey ceremony, not at start-up. */
const webauthn = importOnFirstUse(() => import("@simplewebauthn/server"));

import { type CeremonyPurpose, createCeremonyChallenges, type OpenCeremony } from "./ceremony-challenge.js";
import { isChallengeSpent, spendChallenge } from "./challenge-store.js";
import {
  deletePasskey,
  findOrCreateUserHandle,
  findPasskeyByCredentialId,
  findUserHandle,
  insertPasskeyIfNew,
  listPasskeysOfUser,
  type Passkey,
  recordPasskeyUse,
  renamePasskey,
} from "./store.js";

export interface PasskeyServiceOptions {
  db: Db;
  clock: Clock;
  sessions: SessionService;
  audit: AuditLog;
  /** Keys the hashes of challenges and ceremony bindings at rest. */
  ceremonyKey: Buffer;
  config: Pick<Config, "webauthn" | "stepUpMaxAgeSeconds">;
}

/** How long a ceremony may take, from options to verify. */
export const CEREMONY_TTL_SECONDS = 300;
const CEREMONY_TIMEOUT_MS = 120_000;

export interface Ceremony<T> {
  options: T;
  /** The plaintext binding the browser keeps (cookie) and sends back with the verify. */
  binding: string;
}

export interface PasskeySignIn {
  userId: string;
  email: string;
  isStepUp: boolean;
  amr: string[];
  tokens: IssuedTokens;
}

/**
 * RFC 8176 `amr` after a passkey: `swk` for a synced (backup-eligible) passkey, `hwk` for
 * one bound to a device, plus `user` when the authenticator verified the user.
 */
export function passkeyAmr(passkey: Pick<Passkey, "isBackupEligible">, isUserVerified: boolean): string[] {
  return [passkey.isBackupEligible ? "swk" : "hwk", ...(isUserVerified ? ["user"] : [])];
}

/** The challenge the browser signed, read from `clientDataJSON`; undefined when unreadable. */
function signedChallengeOf(clientDataJSON: string): string | undefined {
  try {
    const clientData = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as unknown;
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === "string" && challenge.length <= 128 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

export function createPasskeyService(options: PasskeyServiceOptions) {
  const { db, clock, sessions, audit, config } = options;
  const { rpId, rpName, origins } = config.webauthn;
  const hash = (purpose: string, value: string) => keyedHash(options.ceremonyKey, `${purpose}:${value}`);

  const challenges = createCeremonyChallenges(options.ceremonyKey);

  /** An open ceremony this browser asked for, with its challenge's keyed hash (its id at rest). */
  type CheckedCeremony = OpenCeremony & { binding: string; challengeHash: string };

  /** A fresh challenge for a new browser binding; nothing is stored until it is used. */
  function openCeremony(purpose: CeremonyPurpose, session: SessionState | undefined) {
    const binding = randomToken(32);
    const challenge = challenges.mint({
      purpose,
      expiresAt: clock.now() + CEREMONY_TTL_SECONDS * 1000,
      binding,
      sessionId: session?.sessionId ?? null,
    });
    return { challenge, binding };
  }

  /**
   * The ceremony of the challenge the response signed, if this browser (and, for a
   * registration or step-up, this session) asked for it, it is still open and was not used.
   * Throws `passkey_challenge_invalid` (replayed, expired, another browser or session).
   */
  async function ceremonyOf(
    clientDataJSON: string,
    binding: string | undefined,
    purposes: CeremonyPurpose[],
    session: SessionState | null,
  ): Promise<CheckedCeremony> {
    const challenge = signedChallengeOf(clientDataJSON);
    if (!challenge || !binding) throw new AppError("passkey_challenge_invalid");
    const sessionId = session?.sessionId ?? null;
    const ceremony = challenges.open(challenge, { binding, sessionId, purposes, now: clock.now() });
    if (!ceremony) throw new AppError("passkey_challenge_invalid");
    const challengeHash = hash("challenge", challenge);
    if (await isChallengeSpent(db, challengeHash)) throw new AppError("passkey_challenge_invalid");
    return { ...ceremony, binding, challengeHash };
  }

  /** Records the ceremony's challenge as used; throws `passkey_challenge_invalid` when a parallel verify used it first. */
  async function spend(executor: Db, ceremony: CheckedCeremony, userId: string | null) {
    const isFirstUse = await spendChallenge(executor, {
      id: randomId(),
      purpose: ceremony.purpose,
      challengeHash: ceremony.challengeHash,
      bindingHash: hash("binding", ceremony.binding),
      userId,
      sessionId: ceremony.sessionId,
      now: clock.now(),
      expiresAt: ceremony.expiresAt,
    });
    if (!isFirstUse) throw new AppError("passkey_challenge_invalid");
  }

  /** Options for `navigator.credentials.create()`: a discoverable credential, this user's others excluded. */
  async function startRegistration(
    session: SessionState,
  ): Promise<Ceremony<PublicKeyCredentialCreationOptionsJSON>> {
    const userHandle = await findOrCreateUserHandle(db, {
      userId: session.userId,
      candidate: randomToken(32),
      now: clock.now(),
    });
    const existing = await listPasskeysOfUser(db, session.userId);
    const { challenge, binding } = openCeremony("register", session);
    const creationOptions = await (await webauthn()).generateRegistrationOptions({
      rpName,
      rpID: rpId,
      userName: session.email,
      userDisplayName: session.email,
      userID: Buffer.from(userHandle, "base64url"),
      challenge: Buffer.from(challenge, "base64url"),
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: "none",
      excludeCredentials: existing.map((passkey) => ({
        id: passkey.credentialId,
        transports: passkey.transports,
      })),
      authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    });
    return { options: creationOptions, binding };
  }

  async function verifyRegistration(response: RegistrationResponseJSON, challenge: string) {
    try {
      const result = await (await webauthn()).verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: [...origins],
        expectedRPID: rpId,
        requireUserVerification: false,
      });
      if (result.verified) {
        await checkNewCredential(response, result.registrationInfo.credential);
        return result.registrationInfo;
      }
    } catch (error) {
      throw new AppError("passkey_verification_failed", { cause: error });
    }
    throw new AppError("passkey_verification_failed");
  }

  /**
   * Checks the new credential and stores it for the signed-in user. Throws
   * `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_already_registered`.
   */
  async function finishRegistration(
    session: SessionState,
    input: {
      response: RegistrationResponseJSON;
      binding: string | undefined;
      deviceHint: string | undefined;
    },
    context: RequestContext,
  ): Promise<Passkey> {
    const ceremony = await ceremonyOf(
      input.response.response.clientDataJSON,
      input.binding,
      ["register"],
      session,
    );
    await spend(db, ceremony, session.userId);
    const info = await verifyRegistration(input.response, ceremony.challenge);
    const now = clock.now();
    const aaguid = info.aaguid === "00000000-0000-0000-0000-000000000000" ? null : info.aaguid;
    const passkey = await insertPasskeyIfNew(db, {
      id: randomId(),
      userId: session.userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
      signCount: info.credential.counter,
      transports: info.credential.transports ?? input.response.response.transports ?? [],
      isBackupEligible: info.credentialDeviceType === "multiDevice",
      isBackedUp: info.credentialBackedUp,
      aaguid,
      name: namePasskey(aaguid, input.deviceHint),
      createdAt: now,
      lastUsedAt: null,
    });
    // Registered already, to this user or to another: never move or duplicate a credential.
    if (!passkey) throw new AppError("passkey_already_registered");
    await audit.record({
      type: "passkey_added",
      userId: session.userId,
      detail: { passkey_id: passkey.id, name: passkey.name },
      ...context,
    });
    return passkey;
  }

  /**
   * Options for `navigator.credentials.get()`. Signing in lists no credentials (the
   * authenticator offers its discoverable ones, so no email is needed); a step-up lists
   * the signed-in user's.
   */
  async function startAuthentication(
    stepUpSession: SessionState | undefined,
  ): Promise<Ceremony<PublicKeyCredentialRequestOptionsJSON>> {
    const allowed = stepUpSession ? await listPasskeysOfUser(db, stepUpSession.userId) : [];
    const { challenge, binding } = openCeremony(stepUpSession ? "step_up" : "sign_in", stepUpSession);
    const requestOptions = await (await webauthn()).generateAuthenticationOptions({
      rpID: rpId,
      challenge: Buffer.from(challenge, "base64url"),
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification: "preferred",
      allowCredentials: allowed.map((passkey) => ({
        id: passkey.credentialId,
        transports: passkey.transports,
      })),
    });
    return { options: requestOptions, binding };
  }

  /**
   * The stored passkey the response names, if the user handle is its user's. A sign-in names
   * no user beforehand, so its assertion must carry the handle (WebAuthn §7.2 step 6); a
   * step-up listed the user's own passkeys and may leave it out.
   */
  async function findAssertedPasskey(
    response: AuthenticationResponseJSON,
    isStepUp: boolean,
  ): Promise<Passkey> {
    const passkey = await findPasskeyByCredentialId(db, response.id);
    if (!passkey) throw new AppError("passkey_unknown");
    const sentHandle = response.response.userHandle;
    if (sentHandle === undefined && !isStepUp) throw new AppError("passkey_verification_failed");
    if (sentHandle !== undefined && sentHandle !== (await findUserHandle(db, passkey.userId))) {
      throw new AppError("passkey_verification_failed");
    }
    return passkey;
  }

  async function verifyPasskeyAssertion(
    response: AuthenticationResponseJSON,
    challenge: string,
    passkey: Passkey,
  ) {
    try {
      const expected = { challenge, origins, rpId, isBackupEligible: passkey.isBackupEligible };
      return await verifyAssertion(response, expected, passkey.publicKey);
    } catch (error) {
      throw new AppError("passkey_verification_failed", { cause: error });
    }
  }

  /**
   * A counter that stays 0 is normal (synced passkeys); one that does not move forward may
   * mean a cloned authenticator. That is a warning in the audit log, not a lock-out.
   */
  async function checkCounter(passkey: Passkey, newCounter: number, context: RequestContext, tx: Db) {
    const hasCounter = newCounter > 0 || passkey.signCount > 0;
    if (!hasCounter || newCounter > passkey.signCount) return;
    await audit.record(
      {
        type: "passkey_counter_regressed",
        userId: passkey.userId,
        detail: { passkey_id: passkey.id, stored: passkey.signCount, presented: newCounter },
        ...context,
      },
      tx,
    );
  }

  /**
   * Signs in with a passkey (a new session), or, for a step-up ceremony, refreshes the
   * current session's authentication time. Throws `passkey_challenge_invalid`,
   * `passkey_unknown`, `passkey_verification_failed`, `not_authenticated`.
   */
  async function finishAuthentication(
    input: {
      response: AuthenticationResponseJSON;
      binding: string | undefined;
      session: SessionState | null;
    },
    context: RequestContext,
  ): Promise<PasskeySignIn> {
    const ceremony = await ceremonyOf(
      input.response.response.clientDataJSON,
      input.binding,
      ["sign_in", "step_up"],
      input.session,
    );
    try {
      return await completeAuthentication(ceremony, input, context);
    } catch (error) {
      // A failed verify ends its ceremony too. When it failed because a parallel verify
      // used the challenge, there is nothing left to record.
      await spend(db, ceremony, null).catch(() => undefined);
      throw error;
    }
  }

  async function completeAuthentication(
    ceremony: CheckedCeremony,
    input: { response: AuthenticationResponseJSON; session: SessionState | null },
    context: RequestContext,
  ): Promise<PasskeySignIn> {
    // The challenge of a step-up is sealed to its session: the session is here.
    const stepUpSession = ceremony.purpose === "step_up" ? input.session : null;
    const isStepUp = stepUpSession !== null;
    const passkey = await findAssertedPasskey(input.response, isStepUp);
    if (stepUpSession && passkey.userId !== stepUpSession.userId) {
      throw new AppError("passkey_verification_failed");
    }
    const info = await verifyPasskeyAssertion(input.response, ceremony.challenge, passkey);
    const user = await findUserById(db, passkey.userId);
    if (!user || user.isDisabled) throw new AppError("passkey_verification_failed");
    const amr = passkeyAmr(passkey, info.userVerified);
    // The spent challenge, counter, session and audit rows commit together: a failed write
    // leaves no session without its audit trail, and no audit trail of a session that never
    // started; of two parallel verifies of one challenge, one commits.
    const tokens = await db.transaction().execute(async (tx) => {
      await spend(tx, ceremony, passkey.userId);
      await checkCounter(passkey, info.newCounter, context, tx);
      await recordPasskeyUse(tx, {
        id: passkey.id,
        signCount: info.newCounter,
        isBackedUp: info.credentialBackedUp,
        now: clock.now(),
      });
      const issued = stepUpSession
        ? await sessions.reauthenticate(stepUpSession, amr, tx)
        : await sessions.startSession(passkey.userId, context, tx, { amr });
      await audit.record(
        {
          type: "passkey_used",
          userId: passkey.userId,
          detail: { passkey_id: passkey.id, purpose: ceremony.purpose },
          ...context,
        },
        tx,
      );
      if (!isStepUp) {
        await audit.record(
          { type: "signed_in", userId: passkey.userId, detail: { method: "passkey" }, ...context },
          tx,
        );
      }
      return issued;
    });
    // The browser's cookies now carry the new session: the one they replace ends, rather
    // than live on unseen (possibly another account's).
    if (!isStepUp && input.session) {
      await sessions.revokeSession(input.session.userId, input.session.sessionId, context, "logout");
    }
    return { userId: passkey.userId, email: user.email, isStepUp, amr, tokens };
  }

  async function listPasskeys(userId: string): Promise<Passkey[]> {
    return listPasskeysOfUser(db, userId);
  }

  /** Throws `passkey_not_found` unless the passkey is the user's. */
  async function rename(userId: string, id: string, name: string): Promise<Passkey> {
    const passkey = await renamePasskey(db, { id, userId, name });
    if (!passkey) throw new AppError("passkey_not_found");
    return passkey;
  }

  /** Needs a recent sign-in. Throws `step_up_required`, `passkey_not_found`. */
  async function remove(session: SessionState, id: string, context: RequestContext): Promise<void> {
    sessions.assertRecentAuthentication(session, config.stepUpMaxAgeSeconds);
    const passkey = await deletePasskey(db, { id, userId: session.userId });
    if (!passkey) throw new AppError("passkey_not_found");
    await audit.record({
      type: "passkey_removed",
      userId: session.userId,
      detail: { passkey_id: passkey.id, name: passkey.name },
      ...context,
    });
  }

  return {
    startRegistration,
    finishRegistration,
    startAuthentication,
    finishAuthentication,
    listPasskeys,
    rename,
    remove,
  };
}

export type PasskeyService = ReturnType<typeof createPasskeyService>;
