/** Webmail inboxes worth a shortcut: the address's domain decides, nothing else is guessed. */
const inboxes: { key: "openGmail" | "openOutlook"; href: string; domains: string[] }[] = [
  {
    key: "openGmail",
    href: "https://mail.google.com/mail/u/0/#inbox",
    domains: ["gmail.com", "googlemail.com"],
  },
  {
    key: "openOutlook",
    href: "https://outlook.live.com/mail/0/inbox",
    domains: ["outlook.com", "hotmail.com", "live.com", "msn.com"],
  },
];

/** The webmail of `email`, if it is one people commonly use, else undefined. */
export function findInbox(email: string): { key: "openGmail" | "openOutlook"; href: string } | undefined {
  const domain = email.trim().toLowerCase().split("@").pop() ?? "";
  const found = inboxes.find((inbox) => inbox.domains.includes(domain));
  return found ? { key: found.key, href: found.href } : undefined;
}
