// Minimal browser-like HTTP client for the login loops: JSON or form bodies, an Origin header, a cookie jar.

const REQUEST_TIMEOUT_MS = 10_000;

/** True when a response body names `email` as the signed-in user (Latchkey: top-level, Better Auth: user). */
export function namesUser(body, email) {
  return body.includes(`"email":"${email}"`);
}

export class CookieJar {
  #cookies = new Map();

  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";", 1)[0];
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /;\s*max-age=0/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header() {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/**
 * Sends one request as a same-origin browser would (or, with `backChannel`, as a client's server
 * would: no Origin), without following redirects. `body` is sent as JSON, `form` as
 * application/x-www-form-urlencoded. Resolves with status, headers and text.
 */
export async function send(
  baseUrl,
  { method = "GET", path, body, form, headers: extra = {}, backChannel = false },
  jar,
) {
  const headers = { ...(backChannel ? {} : { origin: baseUrl }), ...extra };
  let payload;
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  } else if (form !== undefined) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(form).toString();
  }
  const cookie = jar?.header();
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: payload,
    redirect: "manual",
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  jar?.store(response);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** `send`, throwing unless the answer is 2xx. Returns the body text. */
export async function call(baseUrl, request, jar) {
  const { status, text } = await send(baseUrl, request, jar);
  if (status < 200 || status > 299) {
    throw new Error(`${request.method ?? "GET"} ${request.path} -> ${status} ${text.slice(0, 200)}`);
  }
  return text;
}

/** `send` of a request that must redirect; returns the Location header. */
export async function redirectOf(baseUrl, request, jar) {
  const { status, headers, text } = await send(baseUrl, request, jar);
  const location = headers.get("location");
  if (status < 300 || status > 399 || !location) {
    throw new Error(
      `${request.method ?? "GET"} ${request.path} -> ${status}, not a redirect: ${text.slice(0, 200)}`,
    );
  }
  return location;
}
