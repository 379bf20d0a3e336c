import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAtLeast, type ScanReport } from "@modelward/core";
import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

// Debian's libonnx-testdata (installed by .ci/run with apt): about 1,000 real ONNX models of
// onnx's backend test suite (every operator, If/Loop/Scan subgraphs, training ops, functions).
// Real models must decode completely and raise nothing at medium or above (issue 12.7).
const TESTDATA = "/usr/share/libonnx-testdata/data";

describe("libonnx-testdata", () => {
  it("scans every real ONNX model of the backend tests: all decoded, nothing at medium or above", async () => {
    expect(existsSync(TESTDATA), `${TESTDATA} is missing: apt-get install libonnx-testdata (.ci/run does)`).toBe(true);
    const out = join(mkdtempSync(join(tmpdir(), "mw-onnx-")), "report.json");
    // The test inputs beside each model are serialized TensorProtos (.pb), not models.
    await runBuiltCli(["scan", TESTDATA, "--ignore", "**/*.pb", "-f", "json", "-o", out, "-q"], tmpdir());
    const report = JSON.parse(readFileSync(out, "utf8")) as ScanReport;
    const onnx = report.files.filter((f) => f.path.endsWith(".onnx"));
    expect(onnx.length).toBeGreaterThan(1000);
    expect(onnx.filter((f) => f.format !== "onnx").map((f) => f.path)).toEqual([]);
    expect(onnx.filter((f) => f.incomplete.length > 0).map((f) => f.path)).toEqual([]);
    expect(onnx.filter((f) => !(Number(f.properties.nodeCount) > 0)).map((f) => f.path)).toEqual([]);
    const alarming = report.files.flatMap((f) => f.findings.filter((x) => isAtLeast(x.severity, "medium")).map((x) => `${f.path}: ${x.ruleId}: ${x.message}`));
    expect(alarming).toEqual([]);
  }, 180_000);
});
