import type { TestApp } from "../support/harness.js";

/** A request to the admin API with `key` as the Bearer credential, JSON when there is a body. */
export function adminRequest(
  testApp: TestApp,
  key: string,
  method: "GET" | "POST" | "DELETE",
  url: string,
  body?: unknown,
) {
  return testApp.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}
