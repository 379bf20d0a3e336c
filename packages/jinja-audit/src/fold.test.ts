import { parse, tokenize } from "@huggingface/jinja";
import { describe, expect, it } from "vitest";
import { fold, type JNode } from "./fold.js";

function expr(src: string): JNode {
  const program = parse(tokenize(`{{ ${src} }}`)) as unknown as { body: JNode[] };
  return program.body[0] as JNode;
}

describe("fold", () => {
  it.each([
    ["'a' ~ 'b' ~ 1", "ab1"],
    ["'%s-%d' % ('x', 3)", "x-3"],
    ["'{}{}'.format('__', 'x')", "__x"],
    ["'{a}'.format(a='y')", "y"],
    ["'abc'[::-1]", "cba"],
    ["'abcdef'[1:4]", "bcd"],
    ["'abcdef'[-2:]", "ef"],
    ["'abc'[-1]", "c"],
    ["('a', 'b')|join('-')", "a-b"],
    ["'aXb'|replace('X', '_')", "a_b"],
    ["'AB'|lower", "ab"],
    ["'ab' * 2", "abab"],
  ])("%s → %s", (src, want) => {
    expect(fold(expr(src), new Map())).toBe(want);
  });

  it("does not fold data", () => {
    expect(fold(expr("messages[0]['content'] ~ 'x'"), new Map())).toBeUndefined();
  });

  it("uses bindings", () => {
    expect(fold(expr("a ~ 'b'"), new Map([["a", "z"]]))).toBe("zb");
  });

  it("bounds what it builds", () => {
    expect(fold(expr("'x' * 100000"), new Map())).toBeUndefined();
  });
});
