// Login scenario: virtual users looping send -> code from the sink -> verify -> session check.
import { CookieJar, call, namesUser } from "../http.mjs";
import { percentile } from "../stats.mjs";

const VIRTUAL_USERS = 16;
const MAIL_TIMEOUT_MS = 10_000;
// A safety cap on count; at realistic rates the run ends on time.
const MAX_LOGINS_PER_SECOND = 5_000;
// Anchored on "code:" so digits inside a magic link in the same mail cannot match.
const CODE = /code:\s*(\d{6,8})\b/i;
export const PHASES = ["send", "mail", "verify", "session"];

let serial = 0;

/**
 * One complete sign-in as a browser would do it. Resolves with the signed-in cookie jar and the
 * milliseconds spent in each phase ("mail" is from the send response to the mail reaching the sink).
 */
export async function signIn({ baseUrl, flow, sink, email }) {
  const jar = new CookieJar();
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
  const code = mail.text.match(CODE)?.[1];
  if (!code) throw new Error(`no code in mail to ${email}: ${mail.text.slice(0, 200)}`);
  await call(baseUrl, flow.verify(email, code, sent), jar);
  lap("verify");
  const session = await call(baseUrl, { path: flow.sessionPath }, jar);
  lap("session");
  if (!namesUser(session, email)) throw new Error(`session does not name ${email}: ${session.slice(0, 200)}`);
  return { jar, phases };
}

export async function runLogins({ baseUrl, flow, sink, durationS }) {
  const deadline = performance.now() + durationS * 1000;
  const maxLogins = Math.ceil(durationS * MAX_LOGINS_PER_SECOND);
  const latencies = [];
  const phaseTimes = Object.fromEntries(PHASES.map((phase) => [phase, []]));
  const failures = [];
  let started = 0;

  async function virtualUser(vu) {
    while (performance.now() < deadline && started < maxLogins) {
      started++;
      const email = `user-${vu}-${++serial}@bench.test`;
      const begin = performance.now();
      try {
        const { phases } = await signIn({ baseUrl, flow, sink, email });
        latencies.push(performance.now() - begin);
        for (const phase of PHASES) phaseTimes[phase].push(phases[phase]);
      } catch (error) {
        failures.push(error.message);
      }
    }
  }

  const begin = performance.now();
  await Promise.all(Array.from({ length: VIRTUAL_USERS }, (_, vu) => virtualUser(vu)));
  const elapsedS = (performance.now() - begin) / 1000;
  return {
    count: latencies.length,
    rate: latencies.length / elapsedS,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    phaseP50: Object.fromEntries(PHASES.map((phase) => [phase, percentile(phaseTimes[phase], 0.5)])),
    errors: failures.length,
    firstError: failures[0],
  };
}
