// Session scenario (closed loop): 50 keep-alive connections hammering an authenticated endpoint.
import autocannon from "autocannon";
import { namesUser } from "../http.mjs";

const CONNECTIONS = 50;
// A safety cap on count; at realistic rates the run ends on time.
const MAX_REQUESTS_PER_SECOND = 200_000;

/**
 * Every response is checked: it counts as an error unless it is a 200 whose body names `email`.
 * Connection errors and timeouts count too.
 */
export async function runSessionLoad({ baseUrl, path, headers = {}, email, durationS }) {
  let failed = 0;
  let firstFailure;
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: durationS,
    maxOverallRequests: Math.max(CONNECTIONS, Math.ceil(durationS * MAX_REQUESTS_PER_SECOND)),
    // Stop close to the deadline instead of on the next whole second.
    sampleInt: 100,
    requests: [
      {
        method: "GET",
        path,
        headers,
        onResponse(status, body) {
          if (status === 200 && namesUser(body, email)) return;
          failed++;
          firstFailure ??= `${status} ${body.slice(0, 200)}`;
        },
      },
    ],
  });
  const count = result.requests.total;
  return {
    count,
    rate: count / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + failed,
    firstError:
      firstFailure ?? (result.errors > 0 ? `${result.errors} connection errors or timeouts` : undefined),
  };
}
