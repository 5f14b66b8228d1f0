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
  /** `NO_ACCOUNT`: sign-up is closed and the address has no account; the mail says so and carries no secret. */
  template: "SIGNIN" | "SIGNUP" | "NO_ACCOUNT";
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

/**
 * The answer to a sign-in request for an address with no account while sign-up is closed.
 * The API answered exactly as for an account (SECURITY.md 32); only the mailbox owner
 * learns there is none.
 */
function renderNoAccountMail(appName: string): RenderedMail {
  const subject = `Your ${appName} sign-in`;
  const lines = [
    "Hello,",
    "",
    `Someone asked to sign in to ${appName} with this address, but there is no account for it, and new accounts cannot be created here.`,
    "",
    "If you did not ask for this, ignore this email: nothing has changed.",
  ];
  const html = lines
    .filter(Boolean)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join("\n");
  return { subject, text: lines.join("\n"), html };
}

/** The sign-in email: a pure function of its content; nothing in it is built from request input. */
export function renderSignInMail(content: SignInMailContent): RenderedMail {
  if (content.template === "NO_ACCOUNT") return renderNoAccountMail(content.appName);
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
