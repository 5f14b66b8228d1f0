/**
 * Generated from Latchkey's OpenAPI document by `npm run generate:api-types`. Do not edit.
 */

export interface paths {
  "/.well-known/jwks.json": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Public keys that verify Latchkey access tokens
     * @description Only public members. Empty in HS256 (JWT_SECRET) mode.
     */
    get: operations["getWellKnownJwksJson"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/audit": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Audit events, newest first, filtered */
    get: operations["getAdminAudit"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/sign-in-links": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A one-time sign-in link for support (ADMIN_SIGN_IN_LINKS=true); audited */
    post: operations["adminSignInLinks"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Find users: exact email, or every user page by page */
    get: operations["getAdminUsers"];
    put?: never;
    /** Create a user, optionally mailing a sign-in invitation */
    post: operations["adminUsers"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/users/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user with live sessions, passkeys and connected apps */
    get: operations["getAdminUsersById"];
    put?: never;
    post?: never;
    /** Erase a user: sessions, passkeys, grants, challenges and queued mail */
    delete: operations["deleteAdminUsersById"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/users/{id}/block": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Block sign-in and end every session */
    post: operations["adminUsersByIdBlock"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/users/{id}/revoke-sessions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End one session (session_id) or every session of a user */
    post: operations["adminUsersByIdRevokeSessions"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/users/{id}/unblock": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Allow sign-in again */
    post: operations["adminUsersByIdUnblock"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/webhooks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Webhook endpoints */
    get: operations["getAdminWebhooks"];
    put?: never;
    /** Add a webhook endpoint; its signing secret is shown once */
    post: operations["adminWebhooks"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/webhooks/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a webhook endpoint */
    delete: operations["deleteAdminWebhooksById"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/admin/webhooks/{id}/rotate-secret": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** New signing secret; the old one keeps signing during the overlap */
    post: operations["adminWebhooksByIdRotateSecret"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/approval-details": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * What the approving device is asked to approve
     * @description The waiting browser's user agent, approximate place and time, and three numbers of which one is shown by the waiting browser. Consumes nothing.
     */
    post: operations["approvalDetails"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/approve-magic-link": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Approve the sign-in on the device that started it
     * @description Needs the number the waiting browser shows; a wrong number stops the sign-in (400 `approval_number_mismatch`). Consumes the link for the waiting browser; this device gets no session.
     */
    post: operations["approveMagicLink"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/audit": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your recent security events, newest first */
    get: operations["getAudit"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/auth-requests/{auth_request_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The state of a sign-in, for the browser that started it */
    get: operations["getAuthRequestsByAuthRequestId"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/complete-approval": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign in the waiting browser after another device approved */
    post: operations["completeApproval"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/config": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The sign-in settings a UI needs: name, look, language, code length, cooldowns */
    get: operations["getConfig"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/connected-apps": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Apps signed in through Latchkey's OpenID Provider, with their scopes and last use */
    get: operations["getConnectedApps"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/connected-apps/{client_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Disconnect an app: its grants, codes and tokens for this person stop working at once */
    delete: operations["deleteConnectedAppsByClientId"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/db-ping": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A real database round trip (seed contract) */
    get: operations["getDbPing"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/locale": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Choose the language of your pages and mail */
    put: operations["putLocale"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/logout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End this session */
    post: operations["logout"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/logout-all": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * End every session, or every other one
     * @description Needs a recent sign-in (403 `step_up_required` otherwise).
     */
    post: operations["logoutAll"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/passkeys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your passkeys */
    get: operations["getPasskeys"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/passkeys/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove one of your passkeys
     * @description Needs a recent sign-in: 403 `step_up_required` otherwise.
     */
    delete: operations["deletePasskeysById"];
    options?: never;
    head?: never;
    /** Rename one of your passkeys */
    patch: operations["patchPasskeysById"];
    trace?: never;
  };
  "/api/auth/passkeys/authentication/options": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start signing in with a passkey (or confirming it is you)
     * @description No email needed: the authenticator offers its passkeys for this site.
     */
    post: operations["passkeysAuthenticationOptions"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/passkeys/authentication/verify": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Finish signing in with a passkey
     * @description Starts a session like an email sign-in, with `amr` `hwk`/`swk` (+ `user`). After a step-up ceremony, refreshes the current session instead. 400 `passkey_unknown` when the passkey is not (or no longer) registered.
     */
    post: operations["passkeysAuthenticationVerify"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/passkeys/registration/options": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start adding a passkey to your account */
    post: operations["passkeysRegistrationOptions"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/passkeys/registration/verify": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Finish adding a passkey
     * @description 409 `passkey_already_registered` when the credential is registered already (to anyone).
     */
    post: operations["passkeysRegistrationVerify"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/protected": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An example protected route */
    get: operations["getProtected"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/refresh": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rotate the refresh token and get a new access token
     * @description Browsers send the refresh cookie; other clients send `refresh_token` in the body and get the new pair in the body. Reusing an old refresh token ends the session.
     */
    post: operations["refresh"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/refuse-magic-link": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * This wasn't me: refuse the sign-in
     * @description The waiting browser can no longer be signed in with this request; the refusal is audited.
     */
    post: operations["refuseMagicLink"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/resend-passwordless": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a new code and link for the same sign-in
     * @description The old code and link die; the attempt count and the expiry are kept.
     */
    post: operations["resendPasswordless"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/send-passwordless": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Email a one-time code and magic link
     * @description Answers the same for every address, known or not. Sets the same-browser binding cookie. 409 when already signed in.
     */
    post: operations["sendPasswordless"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/session": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who is signed in */
    get: operations["getSession"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/sessions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your live sessions */
    get: operations["getSessions"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/sessions/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** End one of your sessions */
    delete: operations["deleteSessionsById"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/verify-magic-link": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign in with the magic link's token
     * @description In the browser that started the sign-in, signs in at once. Elsewhere answers 409 `confirmation_required` without consuming the link; POST again with `confirm: true` after the person clicks.
     */
    post: operations["verifyMagicLink"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/auth/verify-otp": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign in with the emailed code */
    post: operations["verifyOtp"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/dev/mailbox": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Mail sent in development, newest first (absent in production) */
    get: operations["getDevMailbox"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/dev/mailbox/{id}/html": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One message's HTML part as a page, framable by the UI (absent in production) */
    get: operations["getDevMailboxByIdHtml"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/healthz": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the process answers */
    get: operations["getHealthz"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/interaction/{uid}/consent": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Allow or deny a third-party app the requested scopes */
    post: operations["interactionByUidConsent"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/interaction/{uid}/details": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What an authorization request needs from the person: sign-in or consent */
    get: operations["getInteractionByUidDetails"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/interaction/{uid}/login": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Continue an authorization request as the signed-in person
     * @description Single sign-on: a Latchkey session is enough, unless the client asked for a fresh sign-in (prompt=login or max_age), which then has to be newer than the request.
     */
    post: operations["interactionByUidLogin"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/readyz": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness: the database answers */
    get: operations["getReadyz"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    AccountLocale: {
      /** @description the account's language from now on */
      locale: string;
    };
    AdminAuditPage: {
      events: {
        at: string;
        detail: {
          [key: string]: unknown;
        } | null;
        email_hash: string | null;
        id: string;
        ip: string | null;
        request_id: string | null;
        type: string;
        user_agent: string | null;
        user_id: string | null;
      }[];
      next_cursor: string | null;
    };
    AdminSignInLink: {
      expires_at: string;
      link: string;
    };
    AdminUser: {
      blocked: boolean;
      blocked_at: string | null;
      created_at: string;
      email: string;
      id: string;
      last_login_at: string | null;
    };
    AdminUserDetail: {
      connected_apps: {
        [key: string]: unknown;
      }[];
      passkeys: {
        [key: string]: unknown;
      }[];
      sessions: {
        created_at: string;
        expires_at: string;
        id: string;
        ip: string | null;
        last_used_at: string;
        user_agent: string | null;
      }[];
      user: components["schemas"]["AdminUser"];
    };
    AdminUserList: {
      next_cursor: string | null;
      users: components["schemas"]["AdminUser"][];
    };
    Approval: {
      /** @constant */
      approved: true;
      email: string;
    };
    ApprovalDetails: {
      /** @description Ascending; one is the right number. */
      choices: number[];
      /** @description Approximate place from a trusted proxy, when known. */
      place: string | null;
      /** @description ISO 8601, UTC. */
      requested_at: string;
      /** @description The waiting browser's User-Agent. */
      user_agent: string | null;
    };
    /** @description Also accepts `linkToken`, `authRequestId` and `approvalNumber`. */
    ApproveMagicLinkRequest: {
      /** @description The two-digit number the waiting browser shows, as the person picked it. */
      approval_number: number;
      /** @description The magic link's `auth_request_id` parameter, when it has one (Scalekit links do). */
      auth_request_id?: string;
      link_token: string;
    };
    AuditEvents: {
      events: {
        app?: string;
        at: string;
        id: string;
        ip: string | null;
        type: string;
        user_agent: string | null;
      }[];
    };
    ChallengeStatus: {
      /** @description Shown by the waiting browser; the approving device must pick it. */
      approval_number: number | null;
      /** @enum {string} */
      status: "pending" | "approved" | "consumed" | "expired" | "refused";
    };
    /** @description Also accepts `authRequestId` and `tokenDelivery`. */
    CompleteApprovalRequest: {
      auth_request_id: string;
      /**
       * @description `body` returns the token pair in the JSON for non-browser clients and sets no cookies.
       * @default cookie
       * @enum {string}
       */
      token_delivery?: "cookie" | "body";
    };
    ConnectedApps: {
      apps: {
        client_id: string;
        /** Format: date-time */
        last_used_at: string;
        name: string;
        scopes: string[];
      }[];
    };
    CurrentSession:
      | {
          /** @description RFC 8176 methods: `otp` (email), `hwk`/`swk` + `user` (passkey). */
          amr: string[];
          email: string;
          session_id: string;
          /** @example 2026-11-25T10:00:00.000Z */
          signed_in_at: string;
          /** @example 2026-11-25T10:00:00.000Z */
          user_created_at: string;
          user_id: string;
        }
      | {
          email: null;
        };
    DevMailbox: {
      messages: {
        code: string | null;
        created_at: string;
        /** @description the HTML part; show it in a sandboxed frame, or open /dev/mailbox/{id}/html */
        html: string;
        id: number;
        link: string | null;
        subject: string;
        text: string;
        to: string;
      }[];
    };
    Error400: {
      /** @enum {string} */
      code:
        | "invalid_json"
        | "unsupported_locale"
        | "invalid_code"
        | "challenge_expired"
        | "challenge_used"
        | "invalid_link_token"
        | "approval_number_mismatch"
        | "invalid_redirect_uri"
        | "passkey_challenge_invalid"
        | "passkey_verification_failed"
        | "passkey_unknown"
        | "invalid_webhook_url"
        | "invalid_webhook_event"
        | "bad_request"
        | "duplicate_authorization"
        | "duplicate_cookie";
      /** @description A human-readable message; switch on `code`. */
      detail: string;
    } & {
      [key: string]: unknown;
    };
    Error401: {
      /** @enum {string} */
      code:
        | "not_authenticated"
        | "token_expired"
        | "session_revoked"
        | "invalid_refresh_token"
        | "admin_key_required"
        | "admin_key_invalid";
      /** @description A human-readable message; switch on `code`. */
      detail: string;
    } & {
      [key: string]: unknown;
    };
    Error403: {
      /** @enum {string} */
      code:
        | "signup_disabled"
        | "csrf_rejected"
        | "https_required"
        | "metrics_forbidden"
        | "step_up_required"
        | "sign_in_links_disabled";
      /** @description A human-readable message; switch on `code`. */
      detail: string;
    } & {
      [key: string]: unknown;
    };
    Error404: {
      /** @enum {string} */
      code:
        | "not_found"
        | "challenge_not_found"
        | "session_not_found"
        | "interaction_not_found"
        | "app_not_connected"
        | "passkey_not_found"
        | "user_not_found"
        | "webhook_not_found";
      /** @description A human-readable message; switch on `code`. */
      detail: string;
    } & {
      [key: string]: unknown;
    };
    Error409: {
      /** @enum {string} */
      code:
        | "confirmation_required"
        | "approval_pending"
        | "already_authenticated"
        | "interaction_mismatch"
        | "fresh_sign_in_required"
        | "passkey_already_registered"
        | "user_exists";
      /** @description A human-readable message; switch on `code`. */
      detail: string;
    } & {
      [key: string]: unknown;
    };
    Error413: {
      /** @enum {string} */
      code: "payload_too_large";
      /** @description A human-readable message; switch on `code`. */
      detail: string;
    } & {
      [key: string]: unknown;
    };
    Error415: {
      /** @enum {string} */
      code: "unsupported_media_type";
      /** @description A human-readable message; switch on `code`. */
      detail: string;
    } & {
      [key: string]: unknown;
    };
    Error422: {
      /** @enum {string} */
      code: "validation_error";
      /** @description The invalid fields. */
      detail:
        | {
            loc: (string | number)[];
            msg: string;
            type: string;
          }[]
        | string;
    } & {
      [key: string]: unknown;
    };
    Error429: {
      /** @enum {string} */
      code: "too_many_attempts" | "code_entry_locked" | "rate_limited";
      /** @description A human-readable message; switch on `code`. */
      detail: string;
    } & {
      [key: string]: unknown;
    };
    Error503: {
      /** @enum {string} */
      code: "mail_unavailable" | "database_unavailable" | "provider_unavailable";
      /** @description A human-readable message; switch on `code`. */
      detail: string;
    } & {
      [key: string]: unknown;
    };
    InteractionDetails: {
      client: {
        client_id: string;
        first_party: boolean;
        name: string;
      };
      fresh_sign_in_required: boolean;
      /** @enum {string} */
      prompt: "login" | "consent";
      scopes: string[];
      uid: string;
    };
    InteractionRedirect: {
      redirect_to: string;
    };
    JWKS: {
      keys: {
        /** @enum {string} */
        alg: "EdDSA" | "ES256" | "RS256";
        /** @description OKP and EC keys. */
        crv?: string;
        /** @description RSA keys. */
        e?: string;
        kid: string;
        kty: string;
        /** @description RSA keys. */
        n?: string;
        /** @constant */
        use: "sig";
        /** @description OKP and EC keys. */
        x?: string;
        /** @description EC keys. */
        y?: string;
      }[];
    };
    LocaleRequest: {
      /** @description one of `locales` from GET /api/auth/config */
      locale: string;
    };
    LoggedOut: {
      /** @constant */
      message: "Logged out";
    };
    LogoutAllRequest: {
      /** @default false */
      keep_current?: boolean;
    };
    LogoutAllResult: {
      revoked: number;
    };
    /** @description Also accepts `linkToken` and `authRequestId`. */
    MagicLinkRequest: {
      /** @description The magic link's `auth_request_id` parameter, when it has one (Scalekit links do). */
      auth_request_id?: string;
      link_token: string;
    };
    Ok: {
      /** @constant */
      ok: true;
    };
    Passkey: {
      aaguid: string | null;
      backed_up: boolean;
      /** @example 2026-11-25T10:00:00.000Z */
      created_at: string;
      id: string;
      last_used_at: string | null;
      name: string;
      /** @description Backup-eligible (a synced passkey) rather than bound to one device. */
      synced: boolean;
      transports: string[];
    };
    PasskeyAuthenticationOptionsRequest: {
      /**
       * @description Re-authenticate the signed-in user (before removing a passkey or signing out everywhere).
       * @default false
       */
      step_up?: boolean;
      /**
       * @description `body`: for non-browser clients. The ceremony token and the session tokens come back in the JSON, no cookies are set.
       * @default cookie
       * @enum {string}
       */
      token_delivery?: "cookie" | "body";
    } | null;
    /** @description The browser's assertion, as JSON. */
    PasskeyAuthenticationResponse: {
      /** @enum {string} */
      authenticatorAttachment?: "platform" | "cross-platform";
      /** @default {} */
      clientExtensionResults?: {
        [key: string]: unknown;
      };
      id: string;
      rawId: string;
      response: {
        authenticatorData: string;
        clientDataJSON: string;
        signature: string;
        userHandle?: string;
      };
      /** @constant */
      type: "public-key";
    };
    PasskeyAuthenticationVerifyRequest: {
      /** @description For non-browser clients: the `ceremony_token` from the options call. Browsers send the cookie. */
      ceremony_token?: string;
      response: components["schemas"]["PasskeyAuthenticationResponse"];
      /**
       * @description `body`: for non-browser clients. The ceremony token and the session tokens come back in the JSON, no cookies are set.
       * @default cookie
       * @enum {string}
       */
      token_delivery?: "cookie" | "body";
    };
    PasskeyCeremonyOptions: {
      ceremony_token?: string;
      /** @description Pass to `navigator.credentials.create()`/`get()` (e.g. SimpleWebAuthn's `startRegistration`). */
      options: {
        [key: string]: unknown;
      };
    };
    PasskeyList: {
      passkeys: components["schemas"]["Passkey"][];
    };
    PasskeyRegistrationOptionsRequest: {
      /**
       * @description `body`: for non-browser clients. The ceremony token and the session tokens come back in the JSON, no cookies are set.
       * @default cookie
       * @enum {string}
       */
      token_delivery?: "cookie" | "body";
    } | null;
    /** @description The browser's `PublicKeyCredential`, as JSON. */
    PasskeyRegistrationResponse: {
      /** @enum {string} */
      authenticatorAttachment?: "platform" | "cross-platform";
      /** @default {} */
      clientExtensionResults?: {
        [key: string]: unknown;
      };
      id: string;
      rawId: string;
      response: {
        attestationObject: string;
        authenticatorData?: string;
        clientDataJSON: string;
        publicKey?: string;
        publicKeyAlgorithm?: number;
        transports?: ("ble" | "cable" | "hybrid" | "internal" | "nfc" | "smart-card" | "usb")[];
      };
      /** @constant */
      type: "public-key";
    };
    PasskeyRegistrationVerifyRequest: {
      /** @description For non-browser clients: the `ceremony_token` from the options call. Browsers send the cookie. */
      ceremony_token?: string;
      /** @description A name when the authenticator is not recognised, e.g. the device ("Chrome on macOS"). */
      name?: string;
      response: components["schemas"]["PasskeyRegistrationResponse"];
    };
    PasskeyRemoved: {
      /** @constant */
      removed: true;
    };
    PasskeyRename: {
      name: string;
    };
    PasskeySignIn: {
      access_token?: string;
      amr: string[];
      email: string;
      expires_in?: number;
      refresh_token?: string;
      step_up: boolean;
      /** @constant */
      token_type?: "Bearer";
      user_id: string;
    };
    PasswordlessChallenge: {
      /** @example q0Yd3pQ2bq3m8c5n4vYb9A */
      auth_request_id: string;
      /**
       * @description Unix seconds.
       * @example 1767225600
       */
      expires_at: number;
      /** @example 300 */
      expires_in: number;
      /** @enum {string} */
      passwordless_type: "OTP" | "LINK" | "LINK_OTP";
    };
    ProtectedContent: {
      email: string;
      /** @constant */
      message: "Protected content";
    };
    PublicConfig: {
      /** @description #rrggbb */
      accent_color: string | null;
      app_name: string;
      code_length: number;
      code_ttl_seconds: number;
      /** @description the language this browser gets: the signed-in account's stored one, else Accept-Language */
      locale: string;
      locales: string[];
      logo_url: string | null;
      max_attempts: number;
      /** @enum {string} */
      passwordless_type: "OTP" | "LINK" | "LINK_OTP";
      resend_cooldown_seconds: number;
      /** @description whether a new address gets an account */
      sign_up: boolean;
      support_email: string | null;
    };
    RefreshRequest: {
      /** @description For non-browser clients; browsers send the refresh cookie instead. */
      refresh_token?: string;
    };
    RefreshResult: {
      access_token?: string;
      expires_in: number;
      refresh_token?: string;
      /** @constant */
      token_type?: "Bearer";
    };
    Refusal: {
      /** @constant */
      refused: true;
    };
    /** @description Also accepts `authRequestId`. */
    ResendPasswordlessRequest: {
      auth_request_id: string;
    };
    Revoked: {
      /** @constant */
      revoked: true;
    };
    /** @description Also accepts `magiclinkAuthUri` and `expiresIn`. */
    SendPasswordlessRequest: {
      /**
       * @description One bare address; canonicalized (lower-cased).
       * @example alice@example.com
       */
      email: string;
      /** @description Seconds, 60..600; default 300. */
      expires_in?: number;
      /** @example http://localhost:8000/verify-magic-link */
      magiclink_auth_uri?: string;
      state?: string | null;
      /**
       * @default SIGNIN
       * @enum {string}
       */
      template?: "SIGNIN" | "SIGNUP";
    };
    SessionList: {
      sessions: {
        /** @example 2026-11-25T10:00:00.000Z */
        created_at: string;
        current: boolean;
        /** @example 2026-11-25T10:00:00.000Z */
        expires_at: string;
        id: string;
        ip: string | null;
        /** @example 2026-11-25T10:00:00.000Z */
        last_used_at: string;
        user_agent: string | null;
      }[];
    };
    SignInResult: {
      /** @description Only with token_delivery: body. */
      access_token?: string;
      /** @example alice@example.com */
      email: string;
      expires_in?: number;
      is_new_user: boolean;
      /** @enum {string} */
      passwordless_type: "OTP" | "LINK" | "LINK_OTP";
      /** @description Only with token_delivery: body. */
      refresh_token?: string;
      state: string | null;
      /** @enum {string} */
      template: "SIGNIN" | "SIGNUP";
      /** @constant */
      token_type?: "Bearer";
    };
    /** @description Also accepts `linkToken`, `authRequestId` and `tokenDelivery`. */
    VerifyMagicLinkRequest: {
      /** @description The magic link's `auth_request_id` parameter, when it has one (Scalekit links do). */
      auth_request_id?: string;
      /**
       * @description Set after the person clicked to sign in on a browser that did not start the flow.
       * @default false
       */
      confirm?: boolean;
      link_token: string;
      /**
       * @description `body` returns the token pair in the JSON for non-browser clients and sets no cookies.
       * @default cookie
       * @enum {string}
       */
      token_delivery?: "cookie" | "body";
    };
    /** @description Also accepts `authRequestId` and `tokenDelivery`. */
    VerifyOtpRequest: {
      auth_request_id: string;
      /** @example 042137 */
      code: string;
      /**
       * @description `body` returns the token pair in the JSON for non-browser clients and sets no cookies.
       * @default cookie
       * @enum {string}
       */
      token_delivery?: "cookie" | "body";
    };
    WebhookEndpoint: {
      consecutive_failures: number;
      created_at: string;
      disabled_at: string | null;
      events: string[] | null;
      id: string;
      url: string;
    };
    WebhookSecret: {
      id: string;
      secret: string;
      url?: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getWellKnownJwksJson: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["JWKS"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getAdminAudit: {
    parameters: {
      query?: {
        cursor?: string;
        email?: string;
        limit?: number;
        since?: string;
        type?: string;
        until?: string;
        user_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminAuditPage"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  adminSignInLinks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          email: string;
        };
      };
    };
    responses: {
      /** @description Default Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminSignInLink"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getAdminUsers: {
    parameters: {
      query?: {
        cursor?: string;
        email?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminUserList"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  adminUsers: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          email: string;
          /** @default false */
          send_invitation?: boolean;
        };
      };
    };
    responses: {
      /** @description Default Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminUser"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Conflict: `confirmation_required`, `approval_pending`, `already_authenticated`, `interaction_mismatch`, `fresh_sign_in_required`, `passkey_already_registered`, `user_exists` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error409"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getAdminUsersById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminUserDetail"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  deleteAdminUsersById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  adminUsersByIdBlock: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminUser"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  adminUsersByIdRevokeSessions: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": {
          session_id?: string;
        };
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            revoked: number;
          };
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  adminUsersByIdUnblock: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminUser"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getAdminWebhooks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            endpoints: components["schemas"]["WebhookEndpoint"][];
          };
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  adminWebhooks: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          events?: (
            | "user.created"
            | "user.deleted"
            | "user.blocked"
            | "session.created"
            | "session.revoked"
            | "sign_in.failed"
            | "passkey.added"
            | "passkey.removed"
            | "oidc.grant.created"
            | "oidc.grant.revoked"
          )[];
          url: string;
        };
      };
    };
    responses: {
      /** @description Default Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookSecret"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  deleteAdminWebhooksById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  adminWebhooksByIdRotateSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookSecret"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  approvalDetails: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["MagicLinkRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApprovalDetails"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  approveMagicLink: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ApproveMagicLinkRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Approval"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getAudit: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditEvents"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getAuthRequestsByAuthRequestId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        auth_request_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ChallengeStatus"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  completeApproval: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CompleteApprovalRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SignInResult"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Conflict: `confirmation_required`, `approval_pending`, `already_authenticated`, `interaction_mismatch`, `fresh_sign_in_required`, `passkey_already_registered`, `user_exists` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error409"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getConfig: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PublicConfig"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getConnectedApps: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ConnectedApps"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  deleteConnectedAppsByClientId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        client_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            disconnected: true;
          };
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getDbPing: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Ok"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  putLocale: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LocaleRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AccountLocale"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["LoggedOut"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  logoutAll: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["LogoutAllRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["LogoutAllResult"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getPasskeys: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PasskeyList"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  deletePasskeysById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PasskeyRemoved"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  patchPasskeysById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["PasskeyRename"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Passkey"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  passkeysAuthenticationOptions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["PasskeyAuthenticationOptionsRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PasskeyCeremonyOptions"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  passkeysAuthenticationVerify: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["PasskeyAuthenticationVerifyRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PasskeySignIn"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  passkeysRegistrationOptions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["PasskeyRegistrationOptionsRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PasskeyCeremonyOptions"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  passkeysRegistrationVerify: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["PasskeyRegistrationVerifyRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Passkey"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Conflict: `confirmation_required`, `approval_pending`, `already_authenticated`, `interaction_mismatch`, `fresh_sign_in_required`, `passkey_already_registered`, `user_exists` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error409"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getProtected: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ProtectedContent"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  refresh: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["RefreshRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["RefreshResult"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  refuseMagicLink: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["MagicLinkRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Refusal"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  resendPasswordless: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ResendPasswordlessRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PasswordlessChallenge"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  sendPasswordless: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SendPasswordlessRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PasswordlessChallenge"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Conflict: `confirmation_required`, `approval_pending`, `already_authenticated`, `interaction_mismatch`, `fresh_sign_in_required`, `passkey_already_registered`, `user_exists` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error409"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CurrentSession"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getSessions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SessionList"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  deleteSessionsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Revoked"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  verifyMagicLink: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["VerifyMagicLinkRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SignInResult"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Conflict: `confirmation_required`, `approval_pending`, `already_authenticated`, `interaction_mismatch`, `fresh_sign_in_required`, `passkey_already_registered`, `user_exists` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error409"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  verifyOtp: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["VerifyOtpRequest"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SignInResult"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Too many requests: `too_many_attempts`, `code_entry_locked`, `rate_limited` */
      429: {
        headers: {
          /** @description Seconds until a retry may succeed. */
          "Retry-After"?: number;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error429"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getDevMailbox: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DevMailbox"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getDevMailboxByIdHtml: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the message's HTML part */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": string;
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getHealthz: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Ok"];
        };
      };
    };
  };
  interactionByUidConsent: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** @enum {string} */
          decision: "allow" | "deny";
        };
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["InteractionRedirect"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Conflict: `confirmation_required`, `approval_pending`, `already_authenticated`, `interaction_mismatch`, `fresh_sign_in_required`, `passkey_already_registered`, `user_exists` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error409"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getInteractionByUidDetails: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["InteractionDetails"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  interactionByUidLogin: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["InteractionRedirect"];
        };
      };
      /** @description Bad request: `invalid_json`, `unsupported_locale`, `invalid_code`, `challenge_expired`, `challenge_used`, `invalid_link_token`, `approval_number_mismatch`, `invalid_redirect_uri`, `passkey_challenge_invalid`, `passkey_verification_failed`, `passkey_unknown`, `invalid_webhook_url`, `invalid_webhook_event`, `bad_request`, `duplicate_authorization`, `duplicate_cookie` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error400"];
        };
      };
      /** @description Not signed in: `not_authenticated`, `token_expired`, `session_revoked`, `invalid_refresh_token`, `admin_key_required`, `admin_key_invalid` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error401"];
        };
      };
      /** @description Refused: `signup_disabled`, `csrf_rejected`, `https_required`, `metrics_forbidden`, `step_up_required`, `sign_in_links_disabled` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error403"];
        };
      };
      /** @description Not found: `not_found`, `challenge_not_found`, `session_not_found`, `interaction_not_found`, `app_not_connected`, `passkey_not_found`, `user_not_found`, `webhook_not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error404"];
        };
      };
      /** @description Conflict: `confirmation_required`, `approval_pending`, `already_authenticated`, `interaction_mismatch`, `fresh_sign_in_required`, `passkey_already_registered`, `user_exists` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error409"];
        };
      };
      /** @description Body too large: `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error413"];
        };
      };
      /** @description Not JSON: `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error415"];
        };
      };
      /** @description Invalid input: `validation_error` */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error422"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
  getReadyz: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Ok"];
        };
      };
      /** @description Unavailable: `mail_unavailable`, `database_unavailable`, `provider_unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error503"];
        };
      };
    };
  };
}
