import { describe, expect, it } from "vitest";
import { AnalyzerTester, allFindings } from "@modelward/testing";
import { bytes, examplePlugin } from "./example-plugin.fixture.js";
import { suppliedModule } from "./target-modules.js";

// The marker analyzer records the import `example.marker` for every MARK file.
const tester = new AnalyzerTester({ plugins: [examplePlugin] });
const moduleFindings = (r: Awaited<ReturnType<typeof tester.scanTree>>) => allFindings(r).filter((f) => f.ruleId === "python/module-from-target");

describe("suppliedModule", () => {
  it("names what Python imports from a file relative to a sys.path folder", () => {
    expect(suppliedModule("mymodel.py")).toBe("mymodel");
    expect(suppliedModule("__torch__.py")).toBe("__torch__");
    expect(suppliedModule("transformers/__init__.py")).toBe("transformers");
    expect(suppliedModule("pkg/sub.py")).toBe("pkg.sub");
    expect(suppliedModule("ext.cpython-311-x86_64-linux-gnu.so")).toBe("ext");
    expect(suppliedModule("mod.pyc")).toBe("mod");
    for (const p of ["a.b.py", "my-model.py", "README.md", "model.pkl", "x/.py", "2fast.py"]) expect(suppliedModule(p), p).toBeUndefined();
  });
});

describe("a model importing a module the scanned target supplies (issue 8.4)", () => {
  it("is high on the importing artifact, naming both files", async () => {
    const r = await tester.scanTree({ "example.py": bytes("print('hi')"), "weights.bin": bytes("MARK") });
    const f = moduleFindings(r);
    expect(f.length).toBe(1);
    expect(f[0]).toMatchObject({ severity: "high", location: { path: "weights.bin" }, evidence: { import: "example.marker", module: "example", supplier: "example.py" } });
  });

  it("finds a package and a module in an ancestor folder, not in a sibling folder", async () => {
    const pkg = await tester.scanTree({ "example/__init__.py": bytes(""), "models/a/weights.bin": bytes("MARK") });
    expect(moduleFindings(pkg).map((f) => f.evidence.supplier)).toEqual(["example/__init__.py"]);
    const sibling = await tester.scanTree({ "other/example.py": bytes(""), "models/weights.bin": bytes("MARK") });
    expect(moduleFindings(sibling)).toEqual([]);
  });

  it("reports nothing when the target does not supply the module", async () => {
    const r = await tester.scanTree({ "examples.py": bytes(""), "example.txt": bytes("x"), "weights.bin": bytes("MARK") });
    expect(moduleFindings(r)).toEqual([]);
  });

  it("is declared as a rule with taxonomy", async () => {
    const r = await tester.scanTree({ "example.py": bytes(""), "weights.bin": bytes("MARK") });
    expect(moduleFindings(r)[0]!.taxonomy.cwe).toContain("CWE-427");
  });
});
