import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findingsOf, scan, severityOf } from "./test-helpers.js";

// Issue 9 item 4: .npy files of every dtype family numpy writes, written by numpy itself
// (scripts/fixtures/npy-dtypes.py; versions in fixtures/npy/VERSIONS.txt).
const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "npy");
const files = readdirSync(dir).filter((f) => f.endsWith(".npy")).sort();

describe(".npy of every dtype numpy writes is parsed and passes", () => {
  it("has the fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)("%s: claimed as npy, complete, array size as numpy computes it, no finding", async (name) => {
    const r = await scan(new Uint8Array(readFileSync(join(dir, name))), name);
    expect(r.claimed).toBe("npy");
    expect(r.recordings.flatMap((x) => x.incomplete)).toEqual([]);
    expect(findingsOf(r).map((f) => [f.ruleId, severityOf(f), f.message])).toEqual([]);
  });

  it("the object array's embedded pickle is analysed (not skipped) and imports only numpy's reconstruction", async () => {
    const r = await scan(new Uint8Array(readFileSync(join(dir, "object_plain.npy"))), "object_plain.npy");
    const props = r.recordings[0]!.facts.properties!;
    expect(props.objectArray).toBe(true);
    expect(props.opcodes).toBeGreaterThan(5);
    expect(r.recordings[0]!.imports.some((i) => i.name.startsWith("numpy.core.multiarray._reconstruct") && i.safety === "safe")).toBe(true);
  });
});
