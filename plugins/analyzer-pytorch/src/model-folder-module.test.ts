import { buildTorchZip, pickle } from "@modelward/testing";
import { allFindings } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { findingsLike, lines, tester } from "./test-support.js";

// Issue 8.4: the model folder supplies the module. A pickle that imports `__torch__.X`,
// `transformers.Y` or `mymodel.Z` while the scanned folder holds `__torch__.py`, a
// `transformers/` package or `mymodel.py` runs that file when loaded from the folder.
const enc = new TextEncoder();
const newObj = (module: string, name: string) => pickle().proto(2).global(module, name).emptyTuple().newObj().stop().toBytes();
const CODE = enc.encode('import os\nos.system("echo pwned")\n');

describe("the model folder supplies the module (issue 8.4)", () => {
  const cases: [string, Record<string, Uint8Array>, string, string][] = [
    ["__torch__.py beside a pickle of a TorchScript class", { "__torch__.py": CODE, "model.pkl": newObj("__torch__", "Net") }, "__torch__", "__torch__.py"],
    ["a transformers/ package beside training_args.bin", { "transformers/__init__.py": CODE, "training_args.bin": newObj("transformers.training_args", "TrainingArguments") }, "transformers", "transformers/__init__.py"],
    ["mymodel.py beside a torch checkpoint whose data.pkl imports mymodel.Net", { "mymodel.py": CODE, "model.pt": buildTorchZip({ dataPkl: newObj("mymodel", "Net"), storageData: {} }) }, "mymodel", "mymodel.py"],
  ];
  for (const [name, tree, module, supplier] of cases) {
    it(name, async () => {
      const report = await tester.scanTree(tree);
      const found = findingsLike(report, { ruleId: "python/module-from-target", severity: "high" });
      expect(found.length, lines(report)).toBe(1);
      expect(found[0]!.evidence).toMatchObject({ module, supplier });
    });
  }

  it("the same pickles without the module files raise no such finding", async () => {
    const report = await tester.scanTree({ "model.pkl": newObj("__torch__", "Net"), "training_args.bin": newObj("transformers.training_args", "TrainingArguments"), "README.md": enc.encode("# mymodel.py") });
    expect(allFindings(report).filter((f) => f.ruleId === "python/module-from-target")).toEqual([]);
  });
});
