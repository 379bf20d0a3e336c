import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { allFindings, incompleteReasons } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { lines, tester } from "./test-support.js";

// Real TorchScript archives written by torch 1.13 / torchvision 0.14 (Debian) with
// fixtures/torchscript/generate.py (versions in VERSIONS.txt): scripted, traced, frozen and
// mobile modules, torchvision classes, raise ValueError, list/dict/tuple and enum attributes.
const DIR = fileURLToPath(new URL("../fixtures/torchscript/", import.meta.url));
const FILES = readdirSync(DIR).filter((f) => /\.(pt|ptl)$/.test(f)).sort();
const RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 } as const;

describe("real TorchScript archives raise nothing at medium or above (issue 9.1)", () => {
  it("has the generated fixtures", () => {
    expect(FILES).toEqual(["freeze-torchvision.pt", "mobile-checked.ptl", "mobile-torchvision.ptl", "script-checked.pt", "script-enum.pt", "script-torchvision.pt", "trace-sequential.pt"]);
  });

  for (const name of FILES) {
    it(name, async () => {
      const report = await tester.scan(name, new Uint8Array(readFileSync(DIR + name)));
      expect(report.files[0]!.format).toBe("torchscript");
      expect(allFindings(report).filter((f) => RANK[f.severity] >= RANK.medium), lines(report)).toEqual([]);
      expect(incompleteReasons(report)).toEqual([]);
    });
  }
});
