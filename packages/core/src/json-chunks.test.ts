import { describe, expect, it } from "vitest";
import { jsonChunks } from "./json-chunks.js";

const samples: unknown[] = [
  {},
  [],
  { a: [], b: {}, c: [1, { d: [[], [{}]] }], e: undefined, f: () => 1, g: null, h: "x\ny\"\u2028", i: new Date(0) },
  [undefined, () => 1, Symbol("s"), 1.5, -0, "s", true, { toJSON: () => ({ z: [1, 2] }) }],
  { deep: { deeper: { deepest: { bottom: [1, [2, [3, { four: 4 }]]] } } } },
  "plain",
  42,
  null,
];

describe("jsonChunks", () => {
  it("writes exactly what JSON.stringify writes, pretty and compact, at every split depth", () => {
    for (const value of samples)
      for (const indent of [0, 2, 4])
        for (const depth of [0, 1, 2, 3, 8])
          expect([...jsonChunks(value, indent, depth)].join(""), JSON.stringify(value)).toBe(JSON.stringify(value, null, indent));
  });

  it("keeps every chunk about one entry large, so a report bigger than a string can be written", () => {
    const name = "n".repeat(60_000);
    const report = { files: Array.from({ length: 200 }, (_, i) => ({ path: `${name}${i}`, members: [name], findings: [{ message: name }] })) };
    const chunks = [...jsonChunks(report, 2, 3)];
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(70_000);
    expect(chunks.join("")).toBe(JSON.stringify(report, null, 2));
  });
});
