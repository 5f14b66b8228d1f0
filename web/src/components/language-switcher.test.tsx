// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../lib/api.js";
import { AppConfigProvider, chooseLocale, defaultAppConfig } from "../lib/app-config.js";
import { i18n } from "../lib/i18n.js";
import { NotFoundPage } from "../pages/not-found-page.js";

vi.mock("../lib/api.js", () => ({ api: { setLocale: vi.fn() } }));
const mocked = vi.mocked(api);

const config = { ...defaultAppConfig, app_name: "Acme", locales: ["en", "de"] };

function page() {
  return render(
    <AppConfigProvider config={config}>
      <NotFoundPage />
    </AppConfigProvider>,
  );
}

beforeEach(() => {
  window.localStorage.clear();
  mocked.setLocale.mockResolvedValue({});
});
afterEach(async () => {
  cleanup();
  vi.resetAllMocks();
  // biome-ignore lint/suspicious/noDocumentCookie: removes the hint planted by a test
  document.cookie = "lk_signed_in=; path=/; max-age=0";
  await i18n.changeLanguage("en");
});

describe("language", () => {
  it("switches the page, its title and <html lang> to German, and remembers the choice", async () => {
    page();
    fireEvent.change(screen.getByLabelText("Language"), { target: { value: "de" } });
    expect(await screen.findByRole("heading", { name: "Seite nicht gefunden" })).toBeTruthy();
    expect(document.documentElement.lang).toBe("de");
    await vi.waitFor(() => expect(document.title).toBe("Seite nicht gefunden · Acme"));
    expect(chooseLocale({ ...config, locale: "en" })).toBe("de");
    expect(mocked.setLocale).not.toHaveBeenCalled();
  });

  it("stores the language on the account when this browser is signed in", async () => {
    // biome-ignore lint/suspicious/noDocumentCookie: happy-dom has no Cookie Store; this plants the server's hint
    document.cookie = "lk_signed_in=1; path=/";
    page();
    fireEvent.change(screen.getByLabelText("Language"), { target: { value: "de" } });
    await vi.waitFor(() => expect(mocked.setLocale).toHaveBeenCalledWith("de"));
  });

  it("follows the server's negotiated language when this device made no choice", () => {
    expect(chooseLocale({ ...config, locale: "de" })).toBe("de");
    expect(chooseLocale({ ...config, locale: "fr" })).toBe("en");
  });
});
