// Open-loop views of the session check and the login: fixed arrival rates, latency from each
// request's intended start (see ../open-loop.mjs).
import { namesUser } from "../http.mjs";
import { runOpenLoop } from "../open-loop.mjs";
import { createGetPool } from "../raw-http.mjs";
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

/** An open-loop login runner: every arrival is a whole sign-in with a fresh address. */
export function loginOpenLoop({ baseUrl, flow, sink }) {
  const issue = () => signIn({ baseUrl, flow, sink, email: freshEmail("open") });
  return {
    run: (rate, durationS) => runOpenLoop({ rate, durationS, maxInFlight: LOGIN_MAX_IN_FLIGHT, issue }),
    close: () => {},
  };
}
