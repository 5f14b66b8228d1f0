// Minimal browser-like HTTP client for the login loop: JSON bodies, an Origin header, a cookie jar.

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

/** Sends one request as a same-origin browser would; throws unless the answer is 2xx. Returns the body text. */
export async function call(baseUrl, { method = "GET", path, body }, jar) {
  const headers = { origin: baseUrl };
  if (body !== undefined) headers["content-type"] = "application/json";
  const cookie = jar.header();
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  jar.store(response);
  const text = await response.text();
  if (response.status < 200 || response.status > 299) {
    throw new Error(`${method} ${path} -> ${response.status} ${text.slice(0, 200)}`);
  }
  return text;
}
