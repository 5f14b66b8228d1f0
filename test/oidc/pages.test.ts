import { describe, expect, it } from "vitest";
import { errorPage, logoutPage, signedOutPage } from "../../src/oidc/pages.js";

const acme = { appName: "Acme", acceptLanguage: "en-US,en;q=0.9" };
const german = { appName: "Acme", acceptLanguage: "de-DE,de;q=0.9" };

describe("the OpenID Provider's own pages", () => {
  it("carry the product's name, never Latchkey", () => {
    for (const html of [
      errorPage(acme, "invalid_request", "bad"),
      logoutPage(acme, "<form id=op.logoutForm></form>", "Docs"),
      signedOutPage(acme),
    ]) {
      expect(html).toContain("Acme");
      expect(html).not.toMatch(/latchkey/i);
    }
  });

  it("come in the browser's language", () => {
    const html = logoutPage(german, "", "Acme Docs");
    expect(html).toContain('<html lang="de">');
    expect(html).toContain("Von Acme Docs und auf diesem Gerät von Acme abmelden?");
    expect(html).toContain(">Abmelden</button>");
    expect(signedOutPage(german)).toContain("<title>Abgemeldet · Acme</title>");
  });

  it("fall back to English for a language they do not have", () => {
    expect(signedOutPage({ appName: "Acme", acceptLanguage: "fr" })).toContain('<html lang="en">');
  });

  it("escape the client's name and the product's name", () => {
    const html = logoutPage(
      { appName: "A&B", acceptLanguage: undefined },
      "",
      "<img src=x onerror=alert(1)>",
    );
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("A&amp;B");
  });
});
