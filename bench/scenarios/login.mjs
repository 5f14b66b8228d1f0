// Login scenario: virtual users looping send -> code from the sink -> verify -> session check.
import { CookieJar, call, namesUser } from "../http.mjs";
import { runClosedLoop } from "./closed-loop.mjs";

const MAIL_TIMEOUT_MS = 10_000;
// The code after "code:" (Better Auth) or alone on an indented line (Latchkey's mail templates), never
// digits inside a magic link in the same mail.
const CODE = /(?:code:[ \t]*|^[ \t]+)(\d{6,8})[ \t]*\r?$/im;

/** The sign-in code in a mail's text, or undefined. */
export const codeOf = (text) => text.match(CODE)?.[1];
export const PHASES = ["send", "mail", "verify", "session"];

let serial = 0;

/** A fresh address for one login; `tag` keeps scenarios apart. */
export const freshEmail = (tag) => `${tag}-${++serial}@bench.test`;

/**
 * One complete sign-in as a browser would do it (in `jar`, a fresh one by default). Resolves with the
 * signed-in cookie jar, the verify call's answer and the milliseconds spent in each phase ("mail" is
 * from the send response to the mail reaching the sink). `verifyExtra` adds fields to the verify body.
 */
export async function signIn({ baseUrl, flow, sink, email, jar = new CookieJar(), verifyExtra }) {
  const phases = {};
  let last = performance.now();
  const lap = (phase) => {
    const now = performance.now();
    phases[phase] = now - last;
    last = now;
  };

  const mark = sink.mark();
  const sent = await call(baseUrl, flow.send(email), jar);
  lap("send");
  const mail = await sink.nextMail(email, mark, MAIL_TIMEOUT_MS);
  sink.forget(email);
  lap("mail");
  const code = codeOf(mail.text);
  if (!code) throw new Error(`no code in mail to ${email}: ${mail.text.slice(0, 200)}`);
  const verify = flow.verify(email, code, sent);
  const verified = await call(baseUrl, { ...verify, body: { ...verify.body, ...verifyExtra } }, jar);
  lap("verify");
  const session = await call(baseUrl, { path: flow.sessionPath }, jar);
  lap("session");
  if (!namesUser(session, email)) throw new Error(`session does not name ${email}: ${session.slice(0, 200)}`);
  return { jar, verified, phases };
}

/** Closed-loop logins, a fresh address each. */
export function runLogins({ baseUrl, flow, sink, durationS }) {
  return runClosedLoop({
    durationS,
    operation: async (vu) => (await signIn({ baseUrl, flow, sink, email: freshEmail(`user-${vu}`) })).phases,
  });
}
