import { describe, expect, it } from "vitest";
import { codeOf } from "../../bench/scenarios/login.mjs";

describe("the sign-in code in a mail", () => {
  it("reads Latchkey's code from its own indented line, not from the magic link below it", () => {
    const text =
      "Hello,\n\nEnter this code to sign in to Latchkey:\n\n    801924\n\n" +
      "Or open this link to sign in on this device:\nhttp://127.0.0.1:4000/verify-magic-link?link_token=12345678\n";
    expect(codeOf(text)).toBe("801924");
  });

  it("reads Better Auth's code after 'code:'", () => {
    expect(codeOf("Your code: 123456\n")).toBe("123456");
  });

  it("finds none in a mail that holds only a link", () => {
    expect(codeOf("Open this link:\nhttp://127.0.0.1:4000/verify?token=12345678\n")).toBeUndefined();
  });
});
