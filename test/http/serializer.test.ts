import { describe, expect, it } from "vitest";
import { z } from "zod";
import { deepFreeze, serializerCompiler } from "../../src/http/serializer.js";

const schema = z.object({ email: z.string(), amr: z.array(z.string()) });

function compile() {
  return serializerCompiler({ schema, method: "GET", url: "/x", httpStatus: "200" }) as (
    data: unknown,
  ) => string;
}

describe("the response serializer", () => {
  it("leaves out what the schema does not declare", () => {
    expect(compile()({ email: "a@example.com", amr: ["otp"], secret: "s" })).toBe(
      '{"email":"a@example.com","amr":["otp"]}',
    );
  });

  it("refuses a body that does not fit the schema, frozen or not", () => {
    const serialize = compile();
    expect(() => serialize({ email: 7, amr: [] })).toThrow();
    expect(() => serialize(deepFreeze({ email: 7, amr: [] }))).toThrow();
  });

  it("writes a frozen body once and answers the same text after", () => {
    const serialize = compile();
    let reads = 0;
    const body = {
      get email() {
        reads++;
        return "a@example.com";
      },
      amr: ["otp"],
    };
    deepFreeze(body);
    const first = serialize(body);
    const readsForOne = reads;
    expect(readsForOne).toBeGreaterThan(0);
    expect(serialize(body)).toBe(first);
    expect(serialize(body)).toBe('{"email":"a@example.com","amr":["otp"]}');
    expect(reads).toBe(readsForOne);
  });

  it("writes a body that is not frozen anew each time", () => {
    const serialize = compile();
    const body = { email: "a@example.com", amr: ["otp"] };
    expect(serialize(body)).toBe('{"email":"a@example.com","amr":["otp"]}');
    body.email = "b@example.com";
    expect(serialize(body)).toBe('{"email":"b@example.com","amr":["otp"]}');
  });

  it("freezes nested values too", () => {
    const body = deepFreeze({ amr: ["otp"] });
    expect(Object.isFrozen(body.amr)).toBe(true);
  });
});
