import { type FormEvent, useRef, useState } from "react";
import { PageTitle } from "../components/layout.js";
import { ErrorMessage, StatusMessage } from "../components/messages.js";
import { findEmailProblem, invalidEmailMessage } from "../lib/email-address.js";
import { describeError } from "../lib/messages.js";
import type { Passwordless } from "../lib/use-passwordless.js";

export function EmailStep({ flow, notice }: { flow: Passwordless; notice?: string | undefined }) {
  const [email, setEmail] = useState(flow.email);
  const [problem, setProblem] = useState<string | undefined>();
  const input = useRef<HTMLInputElement>(null);
  const sending = flow.busy === "send";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = findEmailProblem(email);
    setProblem(found);
    if (found) input.current?.focus();
    else void flow.sendCode(email);
  };

  const serverProblem =
    flow.error?.code === "validation_error" ? invalidEmailMessage : describeError(flow.error);
  const message = problem ?? (flow.error ? serverProblem : undefined);

  return (
    <>
      <PageTitle>Sign in</PageTitle>
      <p className="lead">
        Enter your email and we will send you a one-time code and a sign-in link. No password needed.
      </p>
      <StatusMessage>{notice}</StatusMessage>
      <form className="form" noValidate onSubmit={submit}>
        <label className="label" htmlFor="email">
          Email address
        </label>
        <input
          ref={input}
          id="email"
          name="email"
          className="input"
          type="email"
          autoComplete="email"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          placeholder="name@example.com"
          required
          value={email}
          aria-invalid={message ? true : undefined}
          aria-describedby="email-error"
          onChange={(event) => setEmail(event.target.value)}
        />
        <ErrorMessage id="email-error">{message}</ErrorMessage>
        <button className="button button-primary" type="submit" aria-disabled={sending || undefined}>
          {sending ? "Sending…" : "Email me a sign-in code"}
        </button>
      </form>
    </>
  );
}
