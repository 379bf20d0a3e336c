import { describe, expect, it } from "vitest";
import { closestMatch, didYouMean, editDistance } from "./suggest.js";

describe("closestMatch", () => {
  it("finds typos, transpositions and prefixes", () => {
    expect(closestMatch("pickel", ["pickle", "pytorch", "keras"])).toBe("pickle");
    expect(closestMatch("jsno", ["json", "sarif", "console"])).toBe("json");
    expect(closestMatch("sari", ["json", "sarif"])).toBe("sarif");
    expect(closestMatch("unknown-global", ["pickle/unknown-global", "pickle/dangerous-global"])).toBe("pickle/unknown-global");
    expect(closestMatch("Formt", ["format", "fail-on"])).toBe("format");
  });

  it("stays quiet when nothing is close or the word is exact", () => {
    expect(closestMatch("gguf", ["pickle", "keras"])).toBeUndefined();
    expect(closestMatch("json", ["json"])).toBeUndefined();
    expect(closestMatch("x", ["y"])).toBeUndefined();
    expect(didYouMean("zzzzzz", ["json"])).toBe("");
    expect(didYouMean("jsn", ["json"])).toBe(' Did you mean "json"?');
  });

  it("counts edits", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("ab", "ba")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });
});
