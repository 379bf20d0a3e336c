import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { allFindings, buildLegacyTorch, incompleteReasons, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { findingsLike, lines, tester } from "./test-support.js";

// Issue 9.2: legacy torch.save of a whole module writes each class as the persistent id
// ('module', cls, source_file, source); torch's persistent_load returns cls, so cls is judged.
const DIR = fileURLToPath(new URL("../fixtures/whole-module/", import.meta.url));
const RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 } as const;

/** A legacy main pickle rebuilding `module.name` from a whole-module persistent id, as `_legacy_save` writes it. */
function moduleObjectPickle(module: string, name: string): Uint8Array {
  return pickle().proto(2).mark().binUnicode("module").global(module, name).binUnicode("/src/net.py").binUnicode("class Net(Module): ...").tuple().binPersId()
    .emptyTuple().newObj().emptyDict().buildOp().stop().toBytes();
}

describe("legacy whole-module saves (issue 9.2)", () => {
  for (const name of ["legacy-sequential.pt", "zip-sequential.pt"]) {
    it(`real torch 1.13 ${name} raises nothing at medium or above`, async () => {
      const report = await tester.scan(name, new Uint8Array(readFileSync(DIR + name)));
      expect(allFindings(report).filter((f) => RANK[f.severity] >= RANK.medium), lines(report)).toEqual([]);
      expect(incompleteReasons(report)).toEqual([]);
    });
  }

  it("an allowed torch.nn class as the persistent class is clean", async () => {
    const report = await tester.scan("model.pt", buildLegacyTorch({ tensors: {}, mainPickle: moduleObjectPickle("torch.nn.modules.linear", "Linear") }));
    expect(allFindings(report).filter((f) => RANK[f.severity] >= RANK.medium), lines(report)).toEqual([]);
  });

  it("os.system as the persistent class is critical", async () => {
    const report = await tester.scan("model.pt", buildLegacyTorch({ tensors: {}, mainPickle: moduleObjectPickle("os", "system") }));
    expect(findingsLike(report, { ruleId: "pickle/dangerous-global", atLeast: "critical" }).length, lines(report)).toBeGreaterThan(0);
  });
});
