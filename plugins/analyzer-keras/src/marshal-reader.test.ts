import { marshal, type MarshalBuilder } from "@modelward/testing";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCodeUses } from "./code-uses.js";
import { MarshalError, readMarshal, type CodeObject, type MarshalValue } from "./marshal-reader.js";

/** CPython's account of a lambda (scripts/code_uses_oracle.py). */
interface OracleCase { code?: string; names: string[]; strings: string[]; functions: string[]; consts: string[][] }

const USES: Record<string, Record<string, OracleCase>> = JSON.parse(readFileSync(new URL("./fixtures/lambda-code-uses.json", import.meta.url), "utf8"));
const CODE: Record<string, Record<string, string>> = JSON.parse(readFileSync(new URL("./fixtures/lambda-code.json", import.meta.url), "utf8"));
const bytesOf = (b64: string) => new Uint8Array(Buffer.from(b64, "base64"));

function hex(...values: number[]): string {
  const b = Buffer.alloc(8 * values.length);
  values.forEach((v, i) => b.writeDoubleLE(v, 8 * i));
  return b.toString("hex");
}

/** A decoded constant in the oracle's canonical form. */
function canonical(v: MarshalValue): string {
  switch (v.kind) {
    case "code": return `code:${v.code.qualname ?? v.code.name}`;
    case "none": return "None";
    case "true": return "True";
    case "false": return "False";
    case "ellipsis": return "Ellipsis";
    case "int": return `int:${v.value}`;
    case "float": return `float:${hex(v.value)}`;
    case "complex": return `complex:${hex(v.real, v.imag)}`;
    case "str": return `str:${JSON.stringify(v.value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}`;
    case "bytes": return `bytes:${Buffer.from(v.data).toString("hex")}`;
    case "tuple": return `(${v.items.map(canonical).join(",")})`;
    case "frozenset": return `frozenset{${v.items.map(canonical).sort().join(",")}}`;
    default: return `other:${v.kind}`;
  }
}

/** consts of every code object, in the oracle's preorder. */
function constsOf(code: CodeObject, out: string[][] = []): string[][] {
  out.push(code.consts.map(canonical));
  const walk = (v: MarshalValue): void => {
    if (v.kind === "code") constsOf(v.code, out);
    else if (v.kind === "tuple" || v.kind === "frozenset") v.items.forEach(walk);
  };
  code.consts.forEach(walk);
  return out;
}

function expectAgrees(b64: string, want: OracleCase, layout: string): void {
  const bytes = bytesOf(b64);
  const uses = readCodeUses(bytes);
  expect(uses.layout).toBe(layout);
  // String constants are compared as sets: marshal (3.11+) writes a frozenset's items sorted, not in iteration order.
  const sorted = (a: string[]) => [...a].sort();
  expect({ names: uses.names, strings: sorted(uses.strings), functions: uses.functions, trailing: uses.trailingBytes }).toEqual({ names: want.names, strings: sorted(want.strings), functions: want.functions, trailing: 0 });
  const { value } = readMarshal(bytes, uses.layout);
  expect(value.kind).toBe("code");
  expect(constsOf((value as { code: CodeObject }).code)).toEqual(want.consts);
}

const layoutOf = (version: string) => (Number(version.split(".")[1]) >= 11 ? "3.11-3.13" : "3.8-3.10");

describe("marshal reader against CPython's own code objects", () => {
  it("has fixtures of every version 3.8–3.13", () => {
    expect(Object.keys(USES)).toEqual(["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]);
  });

  for (const [version, cases] of Object.entries(USES)) {
    it(`Python ${version}: names, string constants, functions and every constant agree`, () => {
      for (const [name, want] of Object.entries(cases)) expectAgrees(CODE[version]![name]!, want, layoutOf(version));
    });
  }

  it("agrees with this machine's /usr/bin/python3 on freshly compiled lambdas", () => {
    const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    const sources = {
      arithmetic: "lambda x: x * 2 - 0.5",
      closures: "lambda x, k=4: (lambda y: (lambda z: z + y + k)(y))(x)",
      constants: "lambda x: (x, 2**70, -3, 1.5e300, 2j, b'\\xff', ..., None, False, 'caf\\u00e9', '\\U0001f600', x in {'a', 'b', 3})",
      names: "lambda t: t.numpy().reshape((-1, 1)).astype('float32').sum(axis=0)",
      comprehension: "lambda xs: [v * 2 for v in xs if v not in ('skip', None)]",
    };
    const script = new URL("../scripts/code_uses_oracle.py", import.meta.url).pathname;
    const out = JSON.parse(execFileSync(python, [script], { input: JSON.stringify(sources), encoding: "utf8" })) as { version: string; cases: Record<string, OracleCase> };
    const [major, minor] = out.version.split(".").map(Number);
    expect(major).toBe(3);
    expect(minor).toBeGreaterThanOrEqual(8);
    for (const want of Object.values(out.cases)) expectAgrees(want.code!, want, layoutOf(out.version));
  });
});

const lambda = (layout: "3.8" | "3.11", names: string[], consts: (b: MarshalBuilder) => void = (b) => b.none(), constCount = 1, locals = ["x"]) =>
  marshal().code(layout, { names, constCount, consts, locals });

describe("marshal reader on written layouts and hostile data", () => {
  it("reads both field orders written by the test kit, nested code included", () => {
    for (const layout of ["3.8", "3.11"] as const) {
      const nested = (b: MarshalBuilder) => b.none().code(layout, { names: ["system"], constCount: 1, consts: (c) => c.str("echo hi"), name: "<lambda>", qualname: "<lambda>.<locals>.<lambda>" });
      const uses = readCodeUses(lambda(layout, ["__import__"], nested, 2).build());
      expect(uses.layout).toBe(layout === "3.8" ? "3.8-3.10" : "3.11-3.13");
      expect(uses.names).toEqual(["__import__", "system"]);
      expect(uses.strings).toEqual(["echo hi"]);
      expect(uses.functions).toHaveLength(2);
    }
  });

  it("follows references to shared names and constants", () => {
    // The first co_names entry is flagged (index 1; the code object itself is index 0) and reused.
    const b = marshal().ref().code("3.11", { names: [], constCount: 2, consts: (c) => c.ref().str("os").backref(1) });
    const uses = readCodeUses(b.build());
    expect(uses.strings).toEqual(["os"]);
    const { value } = readMarshal(b.build(), "3.11-3.13");
    expect(((value as { code: CodeObject }).code.consts.map((v) => v.kind))).toEqual(["str", "str"]);
  });

  it("refuses a reference to an index not yet filled (the code object being read) or out of range", () => {
    expect(() => readCodeUses(marshal().ref().code("3.11", { names: [], constCount: 1, consts: (c) => c.backref(0) }).build())).toThrow(/invalid reference 0/);
    expect(() => readCodeUses(lambda("3.11", [], (c) => c.backref(7)).build())).toThrow(/invalid reference 7/);
  });

  it("walks a list that contains itself once", () => {
    const b = lambda("3.11", ["len"], (c) => c.ref().collection("list", 2).str("a").backref(0));
    expect(readCodeUses(b.build()).strings).toEqual(["a"]);
  });

  it("stops nesting at the depth bound without recursing into the data", () => {
    const deep = marshal();
    for (let i = 0; i < 100_000; i++) deep.tuple(1);
    deep.none();
    const b = lambda("3.11", [], (c) => c.raw(deep.build()));
    expect(() => readCodeUses(b.build())).toThrow(/nested deeper than 100/);
  });

  it("refuses counts and lengths the data cannot hold before building anything", () => {
    for (const hostile of [
      (c: MarshalBuilder) => c.tuple(0x7fffffff, true),
      (c: MarshalBuilder) => c.collection("frozenset", 1_000_000),
      (c: MarshalBuilder) => c.raw([0x73]).int32(0x7ffffff0), // bytes of 2 GB
      (c: MarshalBuilder) => c.raw([0x6c]).int32(-0x7fffffff), // a long of 2^31 digits
      (c: MarshalBuilder) => c.raw([0x61]).int32(-1), // negative string size
    ]) {
      const started = performance.now();
      expect(() => readCodeUses(lambda("3.11", [], hostile).build())).toThrow(MarshalError);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it("refuses truncated data, unknown type codes, NULL items and fields of the wrong type", () => {
    const whole = lambda("3.11", ["system"]).build();
    expect(() => readCodeUses(whole.subarray(0, whole.length - 3))).toThrow(/bytes needed/);
    expect(() => readCodeUses(lambda("3.11", [], (c) => c.raw([0x3f])).build())).toThrow(/unknown type code 0x3f/);
    expect(() => readCodeUses(lambda("3.11", [], (c) => c.null_()).build())).toThrow(/NULL object/);
    expect(() => readCodeUses(marshal().str("not code").build())).toThrow(/not a code object/);
    // co_names holding an int: a code object neither layout's type checks accept.
    const badNames = marshal().raw([0x63]).int32(1).int32(0).int32(0).int32(4).int32(0x43).bytes("d\x00S\x00").tuple(1).none().tuple(1).int(5)
      .strs(["x"]).bytes(" ").str("<f>").str("<lambda>").str("<lambda>").int32(1).bytes("").bytes("");
    expect(() => readCodeUses(badNames.build())).toThrow(/co_names is not a tuple of strings/);
  });

  it("reports the bytes after the code object that marshal.loads ignores", () => {
    const b = lambda("3.8", ["abs"]).raw([1, 2, 3, 4, 5]);
    expect(readCodeUses(b.build()).trailingBytes).toBe(5);
  });

  it("reads long ints, floats, complex numbers, bytes, dicts and slices as values", () => {
    const b = lambda("3.11", [], (c) => {
      c.long(-(2n ** 100n)).float(0.25).raw([0x79]).raw(Buffer.alloc(16)).bytes("\x00\x01").dict().str("k").int(1).null_().raw([0x3a]).none().int(2).none();
    }, 6);
    const { value } = readMarshal(b.build(), "3.11-3.13");
    const consts = (value as { code: CodeObject }).code.consts;
    expect(consts.map((v) => v.kind)).toEqual(["int", "float", "complex", "bytes", "dict", "slice"]);
    expect(consts[0]).toEqual({ kind: "int", value: -(2n ** 100n) });
  });
});
