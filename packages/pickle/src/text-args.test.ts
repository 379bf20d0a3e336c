import { describe, expect, it } from "vitest";
import { isArgError, parseFloatArg, parseIntArg, parseLongArg, parseStringArg, parseUnicodeArg } from "./text-args.js";

const b = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("protocol-0 arguments parsed like _pickle.c", () => {
  it("INT uses strtol base 0, then int(s, 0)", () => {
    expect(parseIntArg(b("0x10"))).toBe(16);
    expect(parseIntArg(b("010"))).toBe(8);
    expect(parseIntArg(b(" -7"))).toBe(-7);
    expect(parseIntArg(b("1_000"))).toBe(1000);
    expect(parseIntArg(b("99999999999999999999999"))).toBe(BigInt("99999999999999999999999"));
    expect(isArgError(parseIntArg(b("12abc")))).toBe(true);
  });
  it("INT stops at an embedded NUL like a C string", () => {
    expect(parseIntArg(b("5\0garbage"))).toBe(5);
  });
  it("INT with exactly two characters 00/01 is a bool", () => {
    expect(parseIntArg(b("01"))).toBe(true);
    expect(parseIntArg(b("00"))).toBe(false);
    expect(parseIntArg(b("1"))).toBe(1);
  });
  it("LONG is PyLong_FromString base 0 with an optional trailing L (as CPython 3.11 loads it)", () => {
    expect(parseLongArg(b("123L"))).toBe(123);
    expect(parseLongArg(b("0x10"))).toBe(16);
    expect(parseLongArg(b("0x10L"))).toBe(16);
    expect(parseLongArg(b(" 12 "))).toBe(12);
    expect(parseLongArg(b("1_0L"))).toBe(10);
    expect(parseLongArg(b("-0x_1"))).toBe(-1);
    expect(isArgError(parseLongArg(b("010")))).toBe(true);
    expect(isArgError(parseLongArg(b("L")))).toBe(true);
    expect(isArgError(parseLongArg(b("\0")))).toBe(true);
  });
  it("INT: an empty C string is 0, and a NUL-led two-byte line is False", () => {
    expect(parseIntArg(b("\0"))).toBe(0);
    expect(parseIntArg(b("\0x"))).toBe(false);
    expect(parseIntArg(b("-0"))).toBe(false);
    expect(parseIntArg(b("5 "))).toBe(5);
    expect(isArgError(parseIntArg(b("0x")))).toBe(true);
  });
  it("FLOAT accepts what PyOS_string_to_double accepts", () => {
    expect(parseFloatArg(b("1.5"))).toBe(1.5);
    expect(parseFloatArg(b("inf"))).toBe(Infinity);
    expect(isArgError(parseFloatArg(b("1.5x")))).toBe(true);
    expect(parseFloatArg(b("-iNfinity"))).toBe(-Infinity);
    expect(isArgError(parseFloatArg(b("1e999")))).toBe(true);
    expect(isArgError(parseFloatArg(b(" 1.5")))).toBe(true);
    expect(isArgError(parseFloatArg(b("1_0")))).toBe(true);
  });
  it("STRING must be quoted and decodes escapes", () => {
    expect(parseStringArg(b("'os'"))).toBe("os");
    expect(parseStringArg(b('"a\\x41\\n"'))).toBe("aA\n");
    expect(isArgError(parseStringArg(b("os")))).toBe(true);
    expect(isArgError(parseStringArg(b(`'os"`)))).toBe(true);
  });
  it("UNICODE is raw-unicode-escape", () => {
    expect(parseUnicodeArg(b("a\\u0041"))).toBe("aA");
    expect(parseUnicodeArg(b("\\\\u0041"))).toBe("\\\\u0041");
  });
});
