export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface SignInMailContent {
  /** The one-time code, when the challenge has one. */
  code: string | undefined;
  /** The magic link, when the challenge has one. */
  link: string | undefined;
  expiresInMinutes: number;
  template: "SIGNIN" | "SIGNUP";
  appName: string;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

function minutes(count: number): string {
  return count === 1 ? "1 minute" : `${count} minutes`;
}

/** The sign-in email: a pure function of its content; nothing in it is built from request input. */
export function renderSignInMail(content: SignInMailContent): RenderedMail {
  const action = content.template === "SIGNUP" ? "finish signing up" : "sign in";
  const subject =
    content.template === "SIGNUP"
      ? `Confirm your ${content.appName} account`
      : `Your ${content.appName} sign-in`;
  const expiry = `It expires in ${minutes(content.expiresInMinutes)} and works once.`;
  const ignore = "If you did not ask for this, ignore this email: nobody can sign in without it.";
  const textLines = [`Hello,`, ""];
  if (content.code) textLines.push(`Your code: ${content.code}`, "");
  if (content.link) textLines.push(`Or open this link to ${action}:`, content.link, "");
  textLines.push(expiry, ignore);

  const htmlParts = [`<p>Hello,</p>`];
  if (content.code) {
    htmlParts.push(
      `<p>Your code:</p><p style="font-size:28px;font-weight:bold;letter-spacing:4px">${escapeHtml(content.code)}</p>`,
    );
  }
  if (content.link) {
    const href = escapeHtml(content.link);
    htmlParts.push(`<p><a href="${href}">Click here to ${escapeHtml(action)}</a></p>`);
  }
  htmlParts.push(`<p>${escapeHtml(expiry)}</p>`, `<p style="color:#666">${escapeHtml(ignore)}</p>`);
  return { subject, text: textLines.join("\n"), html: htmlParts.join("\n") };
}
