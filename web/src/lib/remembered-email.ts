/**
 * The last address used on this device (localStorage), so the next sign-in is one click.
 * "Remember my email on this device" unticked forgets it, for shared computers.
 */
const KEY = "latchkey.email";

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export function readRememberedEmail(): string {
  return storage()?.getItem(KEY) ?? "";
}

export function rememberEmail(email: string, remember: boolean): void {
  if (remember) storage()?.setItem(KEY, email);
  else storage()?.removeItem(KEY);
}
