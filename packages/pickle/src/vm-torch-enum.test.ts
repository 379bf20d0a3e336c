import { memoryFile, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { runPickle } from "./vm.js";

const run = (bytes: Uint8Array) => runPickle(memoryFile("data.pkl", bytes), { resync: false });

// torch.jit.save pickles a TorchScript enum attribute as GLOBAL `__torch__ Mode` + BININT1 1 + REDUCE
// (issue 9.1): torch's unpickler accepts the bare value, CPython raises "argument list must be a tuple".
describe("REDUCE with a bare value", () => {
  it("is a one-argument call for a __torch__ class (a TorchScript enum), not a malformed stream", async () => {
    for (const module of ["__torch__", "__torch__.model"]) {
      const r = await run(pickle().proto(2).global(module, "Mode").binInt(1).reduce().stop().toBytes());
      expect(r.errors).toEqual([]);
      expect(r.calls[0]).toMatchObject({ kind: "reduce", callee: `${module}.Mode`, expression: `${module}.Mode(1)` });
    }
  });

  it("stays an error for any other callable (CPython refuses it)", async () => {
    for (const [module, name] of [["os", "system"], ["__torch___x", "Mode"], ["torch", "Mode"]] as const) {
      const r = await run(pickle().proto(2).global(module, name).binInt(1).reduce().stop().toBytes());
      expect(r.errors[0]?.message).toContain("argument list must be a tuple");
    }
  });
});
