// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../lib/api.js";
import { AppConfigProvider, defaultAppConfig } from "../lib/app-config.js";
import { oidcApi } from "../lib/oidc-api.js";
import { InteractionPage } from "./interaction-page.js";

vi.mock("../lib/api.js", () => ({
  api: { session: vi.fn(), refresh: vi.fn(), logout: vi.fn(), send: vi.fn(), verifyOtp: vi.fn() },
}));
vi.mock("../lib/oidc-api.js", () => ({
  oidcApi: { details: vi.fn(), continueSignIn: vi.fn(), decide: vi.fn() },
  describeScope: (scope: string) => scope,
}));
const mockedApi = vi.mocked(api);
const mockedOidc = vi.mocked(oidcApi);

beforeEach(() => {
  window.sessionStorage.clear();
  window.history.replaceState(null, "", "/interaction/uid_1");
  mockedApi.session.mockResolvedValue({ email: null });
  mockedApi.send.mockResolvedValue({
    auth_request_id: "ar_1",
    expires_at: Math.floor(Date.now() / 1000) + 300,
    expires_in: 300,
    passwordless_type: "OTP",
  });
  mockedApi.verifyOtp.mockResolvedValue({
    email: "ada@example.com",
    state: null,
    template: "SIGNIN",
    passwordless_type: "OTP",
    is_new_user: false,
  });
  mockedOidc.details.mockResolvedValue({
    uid: "uid_1",
    prompt: "login",
    client: { client_id: "wiki", name: "Acme Wiki", first_party: true },
    scopes: ["openid", "email"],
    fresh_sign_in_required: false,
  });
  // The browser is leaving for the app: the answer never comes back to this page.
  mockedOidc.continueSignIn.mockReturnValue(new Promise(() => {}));
});
afterEach(() => {
  cleanup();
  vi.resetAllMocks();
});

describe("signing in for an app", () => {
  it("after the right code, says it returns to the app and never shows the email form again", async () => {
    const { container } = render(
      <AppConfigProvider config={defaultAppConfig}>
        <InteractionPage uid="uid_1" />
      </AppConfigProvider>,
    );
    fireEvent.change(await screen.findByLabelText("Email address"), { target: { value: "ada@example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Email me a sign-in code" }));
    const codeBox = await screen.findByLabelText("6-digit code");

    let emailFormCameBack = false;
    const watcher = new MutationObserver(() => {
      if (container.querySelector("#email")) emailFormCameBack = true;
    });
    watcher.observe(container, { childList: true, subtree: true });
    fireEvent.change(codeBox, { target: { value: "123456" } });

    expect(await screen.findByText("Returning to the app…")).toBeTruthy();
    watcher.disconnect();
    expect(mockedOidc.continueSignIn).toHaveBeenCalledWith("uid_1");
    expect(emailFormCameBack).toBe(false);
  });
});
