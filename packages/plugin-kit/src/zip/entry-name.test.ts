import { describe, expect, it } from "vitest";
import { entryNameProblems, linkTargetEscapes } from "./entry-name.js";

describe("entryNameProblems", () => {
  it("flags traversal, absolute paths, backslashes and control characters", () => {
    const kinds = (n: string) => entryNameProblems(n).map((p) => p.kind).sort();
    expect(kinds("model/data.pkl")).toEqual([]);
    expect(kinds("a..b/c..")).toEqual([]);
    expect(kinds("../../etc/x")).toEqual(["path-traversal"]);
    expect(kinds("a/../../x")).toEqual(["path-traversal"]);
    expect(kinds("/etc/passwd")).toEqual(["absolute-path"]);
    expect(kinds("C:/x")).toEqual(["absolute-path"]);
    expect(kinds("..\\..\\x")).toEqual(["backslash-path", "path-traversal"]);
    expect(kinds("\\\\server\\share")).toEqual(["absolute-path", "backslash-path"]);
    expect(kinds("data.pkl\u0000.txt")).toEqual(["unusual-name"]);
    expect(kinds("")).toEqual(["unusual-name"]);
  });
});

describe("linkTargetEscapes", () => {
  it("resolves symlinks from their folder and hardlinks from the root", () => {
    expect(linkTargetEscapes("a/b/link", "../c", true)).toBe(false);
    expect(linkTargetEscapes("a/b/link", "../../../c", true)).toBe(true);
    expect(linkTargetEscapes("./ustar/linktest2/symtype", "../linktest1/regtype", true)).toBe(false);
    expect(linkTargetEscapes("link", "../x", true)).toBe(true);
    expect(linkTargetEscapes("a/hard", "../x", false)).toBe(true);
    expect(linkTargetEscapes("a/hard", "a/x", false)).toBe(false);
    expect(linkTargetEscapes("l", "/etc/passwd", true)).toBe(true);
    expect(linkTargetEscapes("l", "C:\\Windows", true)).toBe(true);
    expect(linkTargetEscapes("../l", "x", true)).toBe(true);
  });
});
