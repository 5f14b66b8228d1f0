// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { takeLinkTokenFromAddressBar } from "./link-token.js";

afterEach(() => window.history.replaceState(null, "", "/"));

describe("magic-link token in the address bar", () => {
  it("is read and removed from the address bar at once", () => {
    window.history.replaceState(null, "", "/verify-magic-link?link_token=abc123");
    expect(takeLinkTokenFromAddressBar()).toBe("abc123");
    expect(window.location.href).not.toContain("abc123");
    expect(window.location.pathname).toBe("/verify-magic-link");
  });

  it("is ignored on other pages", () => {
    window.history.replaceState(null, "", "/dashboard?link_token=abc123");
    expect(takeLinkTokenFromAddressBar()).toBeNull();
  });

  it("is absent when the page is reloaded after it was removed", () => {
    window.history.replaceState(null, "", "/verify-magic-link");
    expect(takeLinkTokenFromAddressBar()).toBeNull();
  });
});
