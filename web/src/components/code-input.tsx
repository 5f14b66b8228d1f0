import type { ClipboardEvent, Ref } from "react";

export interface CodeInputProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** Called once the last digit is in, whether typed, pasted or autofilled. */
  onComplete: (code: string) => void;
  length?: number;
  disabled?: boolean;
  invalid?: boolean;
  describedBy?: string;
  inputRef?: Ref<HTMLInputElement>;
}

/**
 * One input for the whole code: it works with SMS/email autofill
 * (`autocomplete=one-time-code`), screen readers and paste, and keeps only digits.
 */
export function CodeInput({
  id,
  value,
  onChange,
  onComplete,
  length = 6,
  disabled = false,
  invalid = false,
  describedBy,
  inputRef,
}: CodeInputProps) {
  const accept = (raw: string) => {
    const next = raw.replace(/\D/g, "").slice(0, length);
    if (next === value) return;
    onChange(next);
    if (next.length === length) onComplete(next);
  };

  // "Your code: 123 456" pasted anywhere in the box fills the whole code.
  const handlePaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const digits = event.clipboardData.getData("text").replace(/\D/g, "");
    if (digits.length < length) return;
    event.preventDefault();
    accept(digits);
  };

  return (
    <input
      ref={inputRef}
      id={id}
      name="code"
      className="code-input"
      type="text"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern={`[0-9]{${length}}`}
      spellCheck={false}
      autoCorrect="off"
      autoCapitalize="off"
      placeholder={"·".repeat(length)}
      value={value}
      disabled={disabled}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      onChange={(event) => accept(event.target.value)}
      onPaste={handlePaste}
    />
  );
}
