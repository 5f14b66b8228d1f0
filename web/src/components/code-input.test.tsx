// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CodeInput } from "./code-input.js";

function Harness({ onComplete }: { onComplete: (code: string) => void }) {
  const [value, setValue] = useState("");
  return (
    <>
      <label htmlFor="code">6-digit code</label>
      <CodeInput id="code" value={value} onChange={setValue} onComplete={onComplete} />
    </>
  );
}

function setup() {
  const onComplete = vi.fn();
  render(<Harness onComplete={onComplete} />);
  const input = screen.getByLabelText<HTMLInputElement>("6-digit code");
  return { input, onComplete };
}

afterEach(cleanup);

describe("code input", () => {
  it("offers the numeric keypad and one-time-code autofill", () => {
    const { input } = setup();
    expect(input.getAttribute("inputmode")).toBe("numeric");
    expect(input.getAttribute("autocomplete")).toBe("one-time-code");
  });

  it("shows the digits as they are typed", () => {
    const { input, onComplete } = setup();
    fireEvent.change(input, { target: { value: "123" } });
    expect(input.value).toBe("123");
    expect(onComplete).not.toHaveBeenCalled();
  });

  it("ignores letters, spaces and symbols", () => {
    const { input } = setup();
    fireEvent.change(input, { target: { value: "1a2 -3" } });
    expect(input.value).toBe("123");
  });

  it("keeps no more than six digits", () => {
    const { input } = setup();
    fireEvent.change(input, { target: { value: "12345678" } });
    expect(input.value).toBe("123456");
  });

  it("submits by itself once the sixth digit is typed", () => {
    const { input, onComplete } = setup();
    fireEvent.change(input, { target: { value: "12345" } });
    fireEvent.change(input, { target: { value: "123456" } });
    expect(onComplete).toHaveBeenCalledExactlyOnceWith("123456");
  });

  it("fills the whole code from a pasted email line and submits it", () => {
    const { input, onComplete } = setup();
    fireEvent.paste(input, { clipboardData: { getData: () => "Your code: 042 917" } });
    expect(input.value).toBe("042917");
    expect(onComplete).toHaveBeenCalledExactlyOnceWith("042917");
  });

  it("keeps a leading zero", () => {
    const { input, onComplete } = setup();
    fireEvent.change(input, { target: { value: "000001" } });
    expect(onComplete).toHaveBeenCalledWith("000001");
  });

  it("does not submit the same complete code twice", () => {
    const { input, onComplete } = setup();
    fireEvent.change(input, { target: { value: "123456" } });
    fireEvent.change(input, { target: { value: "1234567" } });
    expect(onComplete).toHaveBeenCalledTimes(1);
  });
});
