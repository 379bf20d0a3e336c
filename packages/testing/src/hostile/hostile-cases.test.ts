import { describe, expect, it } from "vitest";
import { hostileCases } from "./index.js";

describe("hostile-input cases", () => {
  // Building each case is exercised by test/e2e/src/hostile-suite.test.ts, which scans them.
  it("have unique family/what names", () => {
    const names = hostileCases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]+\/[a-z0-9-]+$/);
  });
});
