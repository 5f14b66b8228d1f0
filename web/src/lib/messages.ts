import { isApiError } from "./api-error.js";

/** One sentence per error code, written for the person at the keyboard. */
const messages: Record<string, string> = {
  validation_error: "Please check what you entered and try again.",
  invalid_json: "The request could not be read. Reload the page and try again.",
  unsupported_media_type: "The request could not be read. Reload the page and try again.",
  payload_too_large: "That was too much to send. Please shorten it and try again.",
  not_found: "We could not find what you were looking for.",
  method_not_allowed: "That action is not available.",
  invalid_code: "That code is not right. Check the email and try again.",
  challenge_expired: "This sign-in request has expired. Start again to get a new code.",
  challenge_not_found: "We could not find this sign-in request. Start again to get a new code.",
  challenge_used: "This sign-in request has already been used. Start again if you still need to sign in.",
  too_many_attempts: "Too many wrong codes. Start again to get a new code.",
  code_entry_locked:
    "Code entry is paused for this address after too many wrong codes. Use the link in the email instead.",
  invalid_link_token: "This sign-in link is not valid. It may have been copied incompletely.",
  confirmation_required: "Choose how to continue signing in.",
  approval_pending: "Waiting for approval on your other device.",
  invalid_redirect_uri: "This app is not allowed to send sign-in links to that address.",
  already_authenticated: "You are already signed in.",
  signup_disabled: "There is no account for this address, and this server does not accept new sign-ups.",
  rate_limited: "Too many attempts. Please wait a moment and try again.",
  not_authenticated: "Please sign in to continue.",
  token_expired: "Your session timed out. Please sign in again.",
  session_revoked: "This session was signed out. Please sign in again.",
  invalid_refresh_token: "Your session has ended. Please sign in again.",
  session_not_found: "That session has already ended.",
  csrf_rejected: "The request was blocked for your safety. Reload the page and try again.",
  https_required: "This server only accepts secure (https) connections.",
  mail_unavailable: "We cannot send email right now. Please try again in a few minutes.",
  database_unavailable: "The service is temporarily unavailable. Please try again shortly.",
  provider_unavailable: "The sign-in service is temporarily unavailable. Please try again shortly.",
  internal_error: "Something went wrong on our side. Please try again.",
  network_error: "Cannot reach the server. Check your connection and try again.",
  unexpected_response: "The server sent an unexpected answer. Please try again.",
};

const fallback = "Something went wrong. Please try again.";

export function messageFor(code: string): string {
  return Object.hasOwn(messages, code) ? messages[code]! : fallback;
}

/** "45 seconds", "1 minute", "3 minutes". */
export function formatWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** The full sentence for an error, with what the server told us (attempts left, wait). */
export function describeError(error: unknown): string {
  if (!isApiError(error)) return fallback;
  const remaining = error.extra.attempts_remaining;
  if (error.code === "invalid_code" && typeof remaining === "number") {
    if (remaining <= 0) return messageFor("too_many_attempts");
    const attempts = remaining === 1 ? "1 attempt" : `${remaining} attempts`;
    return `That code is not right. ${attempts} left.`;
  }
  if (error.code === "rate_limited" && error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0) {
    return `Too many attempts. Please wait ${formatWait(error.retryAfterSeconds)} and try again.`;
  }
  return messageFor(error.code);
}
