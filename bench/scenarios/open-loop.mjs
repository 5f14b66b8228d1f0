// Open-loop views of the session check and the login: fixed arrival rates, latency from each
// request's intended start (see ../open-loop.mjs).
import { namesUser } from "../http.mjs";
import { runOpenLoop } from "../open-loop.mjs";
import { createGetPool } from "../raw-http.mjs";
import { createPhaseTimes } from "../stats.mjs";
import { freshEmail, signIn } from "./login.mjs";

// Enough sockets that a queue forms only when the server itself falls behind.
const SESSION_MAX_IN_FLIGHT = 256;
const LOGIN_MAX_IN_FLIGHT = 512;

/** An open-loop session-check runner: `(rate, durationS) => run`, and `close()` for its sockets. */
export function sessionOpenLoop({ baseUrl, path, headers, email }) {
  const pool = createGetPool({ baseUrl, path, headers });
  const issue = async () => {
    const { status, body } = await pool.get();
    if (status !== 200 || !namesUser(body, email)) throw new Error(`${status} ${body.slice(0, 200)}`);
  };
  return {
    run: (rate, durationS) => runOpenLoop({ rate, durationS, maxInFlight: SESSION_MAX_IN_FLIGHT, issue }),
    close: pool.close,
  };
}

/**
 * An open-loop login runner: every arrival is a whole sign-in with a fresh address. A run also
 * reports each phase's p50 and p99 (`phaseP50`, `phaseP99`), each timed from its own start.
 */
export function loginOpenLoop({ baseUrl, flow, sink }) {
  return {
    async run(rate, durationS) {
      const phaseTimes = createPhaseTimes();
      const issue = async () => {
        const { phases } = await signIn({ baseUrl, flow, sink, email: freshEmail("open") });
        phaseTimes.add(phases);
      };
      const run = await runOpenLoop({ rate, durationS, maxInFlight: LOGIN_MAX_IN_FLIGHT, issue });
      return { ...run, phaseP50: phaseTimes.at(0.5), phaseP99: phaseTimes.at(0.99) };
    },
    close: () => {},
  };
}
