import { memoryFile, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { runPickle } from "./vm.js";

const run = (bytes: Uint8Array) => runPickle(memoryFile("pickle", bytes), { resync: false });

/** How legacy `torch.save(module)` rebuilds a module: NEWOBJ on the persistent id `('module', cls, file, source)`. */
function moduleSave(module: string, name: string, count = 4): Uint8Array {
  const b = pickle().proto(2).mark().binUnicode("module").global(module, name).binUnicode("/src/file.py");
  if (count === 4) b.binUnicode("class Net(Module): ...");
  return b.tuple().binPersId().emptyTuple().newObj().stop().toBytes();
}

// Issue 9.2: torch's _legacy_load persistent_load returns `cls` for a ('module', cls, source_file, source) id.
describe("legacy whole-module persistent ids resolve to their class", () => {
  it("the call is made on the class itself, so the class is what gets judged", async () => {
    const r = await run(moduleSave("torch.nn.modules.linear", "Linear"));
    expect(r.errors).toEqual([]);
    expect(r.calls[0]).toMatchObject({ kind: "newobj", callee: "torch.nn.modules.linear.Linear" });
    const evil = await run(moduleSave("os", "system"));
    expect(evil.calls[0]).toMatchObject({ kind: "newobj", callee: "os.system" });
  });

  it("any other persistent id stays an unknown value", async () => {
    const r = await run(moduleSave("torch.nn.modules.linear", "Linear", 3));
    expect(r.calls[0]?.callee).not.toBe("torch.nn.modules.linear.Linear");
  });
});
