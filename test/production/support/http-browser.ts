/** The one public origin both instances serve (the address of a load balancer in front of them). */
export const SHARED_PUBLIC_URL = "http://latchkey.test";

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  elapsedMs: number;
}

/**
 * A browser over real HTTP: one cookie jar, any instance. Requests go to the given base
 * URL, as a load balancer would route them, with the shared public origin as `Origin`.
 */
export function createHttpBrowser({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}) {
  const jar = new Map<string, string>();
  async function request(
    method: "GET" | "POST" | "DELETE",
    baseUrl: string,
    path: string,
    body?: unknown,
  ): Promise<HttpResponse> {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(method !== "GET" ? { origin: SHARED_PUBLIC_URL } : {}),
        ...(jar.size > 0
          ? {
              cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; "),
            }
          : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = cookie.split(";");
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const isCleared =
        value === "" ||
        attributes.some((part) => /^\s*max-age=0\s*$/i.test(part)) ||
        attributes.some((part) => {
          const expires = /^\s*expires=(.+)$/i.exec(part)?.[1];
          return expires !== undefined && Date.parse(expires) <= Date.now();
        });
      if (isCleared) jar.delete(name);
      else jar.set(name, value);
    }
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return {
      status: response.status,
      headers: response.headers,
      body: parsed,
      elapsedMs: performance.now() - started,
    };
  }
  return {
    jar,
    get: (baseUrl: string, path: string) => request("GET", baseUrl, path),
    post: (baseUrl: string, path: string, body: unknown = {}) => request("POST", baseUrl, path, body),
    delete: (baseUrl: string, path: string) => request("DELETE", baseUrl, path),
  };
}

export type HttpBrowser = ReturnType<typeof createHttpBrowser>;
