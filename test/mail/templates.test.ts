import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import {
  createMailRenderer,
  MAIL_PURPOSES,
  type MailSettings,
  type MailTemplate,
  type SignInMailContent,
  sampleMailContent,
} from "../../src/mail/templates.js";

const NOW = Date.UTC(2026, 10, 29, 14, 32);
const settings: MailSettings = {
  appName: "Acme",
  publicUrl: new URL("https://auth.acme.example"),
  timeZone: "UTC",
  codeInSubject: true,
  supportEmail: "help@acme.example",
};
const renderer = createMailRenderer(settings, () => NOW);
const templates = Object.keys(MAIL_PURPOSES) as MailTemplate[];
const signIn = sampleMailContent("SIGNIN", NOW);

function render(content: SignInMailContent, locale = "en", overrides: Partial<MailSettings> = {}) {
  return createMailRenderer({ ...settings, ...overrides }, () => NOW).render(content, locale);
}

describe.each(SUPPORTED_LOCALES.flatMap((locale) => templates.map((template) => [locale, template])))(
  "the %s %s mail",
  (locale, template) => {
    const mail = renderer.render(sampleMailContent(template as MailTemplate, NOW), locale!);

    it("is a complete HTML document in its language, with a title", () => {
      expect(mail.html).toMatch(/^<!DOCTYPE html>\n<html lang="[a-z]+"/);
      expect(mail.html).toContain(`<html lang="${locale}"`);
      expect(mail.html).toMatch(/<title>[^<]*Acme[^<]*<\/title>/);
      expect(mail.html).toContain('<meta name="color-scheme" content="light dark">');
      expect(mail.html.trim()).toMatch(/<\/html>$/);
    });

    it("names the product and the site, and has a plain-text part", () => {
      expect(mail.html).toContain("Acme");
      expect(mail.html).toContain("auth.acme.example");
      expect(mail.text).toContain("auth.acme.example");
      expect(mail.text).not.toMatch(/<[a-z]/i);
    });

    it.skipIf(template === "INVITATION")("says which browser asked, from where and when", () => {
      expect(mail.text).toMatch(/Firefox .* macOS/);
      expect(mail.text).toContain("Berlin, DE");
      expect(mail.text).toContain("2026");
    });

    it("says whom to write to", () => {
      expect(mail.text).toContain("help@acme.example");
      expect(mail.html).toContain("help@acme.example");
    });

    it("leaves no placeholder unfilled", () => {
      expect(`${mail.subject}${mail.text}${mail.html}`).not.toMatch(/\{\{|\}\}/);
    });
  },
);

describe("the sign-in mail", () => {
  it("hides the code in the preheader and offers the link as a real button", () => {
    const { html } = renderer.render(signIn, "en");
    expect(html).toMatch(/<div style="display:none;[^"]*">Your code is 042137\./);
    expect(html).toMatch(
      /<td align="center" bgcolor="#4f46e5"[^>]*>\s*<a class="button" href="https:\/\/auth\.example\.com\//,
    );
  });

  it("states the expiry as a clock time and as a duration", () => {
    expect(renderer.render(signIn, "en").text).toContain("It expires at 2:37 PM UTC (in 5 minutes)");
    expect(renderer.render(signIn, "de").text).toContain("Gültig bis 14:37 UTC (in 5 Minuten)");
  });

  it("carries only the code when there is no link, and only the link when there is no code", () => {
    const codeOnly = renderer.render({ ...signIn, link: undefined }, "en");
    expect(codeOnly.html).not.toContain('class="button"');
    expect(codeOnly.text).not.toContain("https://auth.example.com");
    const linkOnly = renderer.render({ ...signIn, code: undefined }, "en");
    expect(linkOnly.text).not.toContain("042137");
    expect(linkOnly.html).toContain("Your sign-in link expires at 2:37 PM UTC");
  });

  it("is marked as sent automatically, in its language", () => {
    expect(renderer.render(signIn, "de").headers).toEqual({
      "Auto-Submitted": "auto-generated",
      "Content-Language": "de",
    });
  });

  it("escapes every value it puts into the HTML", () => {
    const hostile = {
      ...signIn,
      link: 'https://auth.example.com/verify?x="><script>alert(1)</script>&y=1',
      place: "<img src=x onerror=alert(1)>",
    };
    const { html, text } = render(hostile, "en", { appName: "A&B <i>" });
    expect(text).toContain(hostile.link);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<i>");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("A&amp;B &lt;i&gt;");
    expect(html).toContain('verify?x=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;y=1"');
  });

  it("never names an unknown browser by its own User-Agent text", () => {
    const mail = renderer.render({ ...signIn, userAgent: "EvilBot <b>hi</b>" }, "en");
    expect(mail.text).toContain("Browser: an unknown browser");
    expect(mail.text).not.toContain("EvilBot");
  });

  it("shows no place line when the place is unknown", () => {
    expect(renderer.render({ ...signIn, place: undefined }, "en").text).not.toContain("Approximate place");
  });
});

describe("an administrator's invitation", () => {
  it("says who created the account and names no requesting browser", () => {
    const mail = renderer.render(sampleMailContent("INVITATION", NOW), "en");
    expect(mail.text).toMatch(/^An administrator of Acme created an account for this address\./);
    expect(mail.text).not.toContain("Firefox");
    expect(mail.html).not.toContain("About this request");
    expect(mail.subject).toBe("Acme invitation, code 042137");
  });
});

describe("subjects", () => {
  it("name the product and the code, so each request is its own thread", () => {
    expect(renderer.render(signIn, "en").subject).toBe("Acme sign-in code 042137");
    expect(renderer.render({ ...signIn, code: "913370" }, "en").subject).toBe("Acme sign-in code 913370");
    expect(renderer.render(signIn, "de").subject).toBe("Acme-Anmeldecode 042137");
    expect(renderer.render(sampleMailContent("SIGNUP", NOW), "en").subject).toBe(
      "Acme confirmation code 042137",
    );
  });

  it("name the request time instead when the code is kept out of the subject", () => {
    const later = { ...signIn, requestedAt: NOW + 7 * 60_000 };
    const first = render(signIn, "en", { codeInSubject: false }).subject;
    const second = render(later, "en", { codeInSubject: false }).subject;
    expect(first).toBe("Acme sign-in request at 2:32 PM UTC");
    expect(second).toBe("Acme sign-in request at 2:39 PM UTC");
    expect(first).not.toContain("042137");
  });

  it("name the request time for a link-only mail", () => {
    expect(renderer.render({ ...signIn, code: undefined }, "en").subject).toBe(
      "Acme sign-in request at 2:32 PM UTC",
    );
  });
});

describe("times", () => {
  it("each mail of a burst in one minute shows its own expiry", () => {
    const first = renderer.render({ ...signIn, requestedAt: NOW, expiresAt: NOW + 15 * 60_000 }, "en");
    const second = renderer.render(
      { ...signIn, requestedAt: NOW + 10_000, expiresAt: NOW + 10 * 60_000 },
      "en",
    );
    expect(first.text).toContain("It expires at 2:47 PM UTC (in 15 minutes)");
    expect(second.text).toContain("It expires at 2:42 PM UTC (in 10 minutes)");
  });

  it("a mail requested in the next minute shows that minute, with the same expiry", () => {
    const expiresAt = NOW + 15 * 60_000;
    const late = { ...signIn, requestedAt: NOW + 50_000, expiresAt };
    const next = { ...signIn, requestedAt: NOW + 70_000, expiresAt };
    expect(render(late, "en", { codeInSubject: false }).subject).toContain("2:32 PM");
    expect(render(next, "en", { codeInSubject: false }).subject).toContain("2:33 PM");
  });
});

describe("the product's name", () => {
  it("is the only name in every mail: no Latchkey anywhere", () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const template of templates) {
        const mail = renderer.render(sampleMailContent(template, NOW), locale);
        expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toMatch(/latchkey/i);
      }
    }
  });

  it("comes with the logo when one is configured", () => {
    const { html } = render(signIn, "en", { logoUrl: "https://acme.example/logo.png" });
    expect(html).toContain('<img src="https://acme.example/logo.png" alt=""');
  });
});

describe("templates an operator overrides", () => {
  function overrideFolder(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "mail-templates-"));
    for (const [name, body] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), body);
    }
    return dir;
  }

  it("replace the built-in file of the same name and keep the rest", () => {
    const templatesDir = overrideFolder({ "sign-in.subject.mustache": "Your {{app_name}} key: {{code}}" });
    const mail = render(signIn, "en", { templatesDir });
    expect(mail.subject).toBe("Your Acme key: 042137");
    expect(mail.html).toContain("<!DOCTYPE html>");
  });

  it("may differ by language", () => {
    const templatesDir = overrideFolder({ "de/sign-in.subject.mustache": "Ihr Schlüssel {{code}}" });
    expect(render(signIn, "de", { templatesDir }).subject).toBe("Ihr Schlüssel 042137");
    expect(render(signIn, "en", { templatesDir }).subject).toBe("Acme sign-in code 042137");
  });

  it("may replace a shared part", () => {
    const templatesDir = overrideFolder({ "partials/foot.txt.mustache": "-- {{app_name}} support" });
    expect(render(signIn, "en", { templatesDir }).text).toMatch(/-- Acme support\n$/);
  });

  it("render a variable nobody provides as nothing, without failing", () => {
    const templatesDir = overrideFolder({ "sign-in.subject.mustache": "{{app_name}}{{no_such_value}}!" });
    expect(render(signIn, "en", { templatesDir }).subject).toBe("Acme!");
  });

  it("that do not parse stop the server at startup", () => {
    const templatesDir = overrideFolder({ "no-account.html.mustache": "{{#open}} never closed" });
    expect(() => createMailRenderer({ ...settings, templatesDir }).check()).toThrow(/Unclosed section/);
  });
});

describe("a mail queued by an older version", () => {
  it("renders without the request's time, browser or language", () => {
    const old: SignInMailContent = {
      code: "042137",
      link: undefined,
      expiresInMinutes: 5,
      template: "SIGNIN",
    };
    const mail = renderer.render(old, "en");
    expect(mail.subject).toBe("Acme sign-in code 042137");
    expect(mail.text).toContain("in 5 minutes");
    expect(mail.text).toContain("Browser: an unknown browser");
  });

  it("falls back to English for a language it does not have", () => {
    expect(renderer.render(signIn, "xx").headers["Content-Language"]).toBe("en");
  });
});
