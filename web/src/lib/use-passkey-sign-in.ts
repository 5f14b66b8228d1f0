import { useCallback, useEffect, useRef, useState } from "react";
import {
  cancelPasskeyAutofill,
  describePasskeyError,
  signInWithPasskey,
  signInWithPasskeyAutofill,
  supportsPasskeys,
} from "./passkeys.js";

/**
 * Passkey sign-in on the sign-in page: autofill on the email field while the page is
 * open (where the browser supports it), and the explicit button, which aborts the
 * autofill request before starting its own ceremony.
 */
export function usePasskeySignIn(onSignedIn: () => void) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const signedIn = useRef(onSignedIn);
  signedIn.current = onSignedIn;

  useEffect(() => {
    if (!supportsPasskeys()) return;
    let active = true;
    // Autofill is a quiet offer: when the browser cannot make it (no platform authenticator,
    // no conditional UI), nobody asked for a passkey, so no error is shown; the button
    // still reports its own failures.
    signInWithPasskeyAutofill().then(
      (result) => active && result && signedIn.current(),
      () => {},
    );
    return () => {
      active = false;
      cancelPasskeyAutofill();
    };
  }, []);

  const signIn = useCallback(async () => {
    setBusy(true);
    setError(undefined);
    try {
      await signInWithPasskey();
      signedIn.current();
    } catch (cause) {
      setError(describePasskeyError(cause));
    } finally {
      setBusy(false);
    }
  }, []);

  return { isSupported: supportsPasskeys(), error, busy, signIn };
}
