import { describe, expect, it } from "vitest";
import { renderSignInMail } from "../../src/mail/templates.js";

const content = {
  code: "042137",
  link: "http://localhost:8000/verify-magic-link?link_token=abc&x=<b>",
  expiresInMinutes: 5,
  template: "SIGNIN" as const,
  appName: "Latchkey",
};

describe("sign-in email", () => {
  it("states the code, the link and the expiry in minutes", () => {
    const mail = renderSignInMail(content);
    expect(mail.text).toContain("Your code: 042137");
    expect(mail.text).toContain(content.link);
    expect(mail.text).toContain("expires in 5 minutes");
  });

  it("tells the reader to ignore it if they did not ask", () => {
    expect(renderSignInMail(content).text).toMatch(/did not ask for this, ignore this email/);
  });

  it("escapes everything it puts into the HTML", () => {
    const mail = renderSignInMail(content);
    expect(mail.html).not.toContain("<b>");
    expect(mail.html).toContain("&lt;b&gt;");
    expect(mail.html).toContain("&amp;x=");
  });

  it("omits the code for link-only sign-ins and the link for code-only ones", () => {
    expect(renderSignInMail({ ...content, code: undefined }).text).not.toContain("Your code");
    expect(renderSignInMail({ ...content, link: undefined }).text).not.toContain("http");
  });

  it("words a sign-up differently from a sign-in", () => {
    expect(renderSignInMail({ ...content, template: "SIGNUP" }).subject).toBe(
      "Confirm your Latchkey account",
    );
    expect(renderSignInMail(content).subject).toBe("Your Latchkey sign-in");
  });
});
