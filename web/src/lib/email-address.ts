import { t } from "./i18n.js";

// Deliberately loose: the server has the last word. This catches typos early and
// refuses what can never be one bare address (spaces, commas, angle brackets).
const shape = /^[^\s@<>(),;:"\\[\]]{1,64}@[^\s@<>(),;:"\\[\]]+\.[^\s@<>(),;:"\\[\]]{2,}$/;

export const invalidEmailMessage = () => t("email.invalid");

/** A sentence describing what is wrong with the address, or undefined when it looks fine. */
export function findEmailProblem(value: string): string | undefined {
  const email = value.trim();
  if (email === "") return t("email.empty");
  if (email.length > 254 || !shape.test(email)) return invalidEmailMessage();
  return undefined;
}
