import { sampleReport } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { platformView } from "./platform-view.js";

const ids = { scanId: "scan_1", modelId: "mdl_1", finishedAt: "2026-12-02T00:00:00.000Z" };

describe("platformView", () => {
  it("maps a report to Alert/Warning/Pass, the 1–3 score, and per-file unsafe dependencies with their severity", () => {
    const report = sampleReport();
    const view = platformView(report, ids);
    expect(view).toMatchObject({ scan_id: "scan_1", model_id: "mdl_1", severity: "Alert", score: 3, summary: { nothing_analysed: false } });
    const byFile = new Map(view.file_security_reports.map((f) => [f.file, f]));
    // One entry per top-level file: archive members count for their outer file.
    expect([...byFile.keys()].sort()).toEqual([...new Set(report.files.map((f) => f.path))].sort());
    const torch = [...byFile.values()].find((f) => f.unsafe_dependencies.some((d) => d.name === "webbrowser.open"))!;
    expect(torch.severity).toBe("Alert");
    expect(torch.unsafe_dependencies).toEqual([
      { name: "webbrowser.open", kind: "global", safety: "dangerous", severity: "high", members: ["archive/data.pkl"] },
      // Its only finding is suppressed: the fallback severity of an unknown import.
      { name: "mylib.layers.CustomHead", kind: "global", safety: "unknown", severity: "low", members: ["archive/data.pkl"] },
    ]);
    const osSystem = report.files.find((f) => f.path === "classifier.pkl")!.findings[0]!.severity;
    expect(byFile.get("classifier.pkl")!.unsafe_dependencies).toEqual([{ name: "os.system", kind: "global", safety: "dangerous", severity: osSystem }]);
    expect(byFile.get("data/bundle.zip")).toMatchObject({ status: "incomplete", severity: "Warning", incomplete: ["archive: member not opened: encrypted (weights/secret.pkl)"] });
    expect(byFile.get("README.md")).toMatchObject({ status: "skipped", skip_reason: "no analyzer recognised the content", unsafe_dependencies: [] });
    expect(byFile.get("model.safetensors")).toMatchObject({ severity: "Pass", unsafe_dependencies: [] });
  });

  it("never passes a scan that analysed nothing", () => {
    const report = sampleReport();
    report.summary.verdict = "none";
    expect(platformView(report, ids)).toMatchObject({ severity: "Warning", score: 2, summary: { nothing_analysed: true } });
    report.summary.verdict = "pass";
    expect(platformView(report, ids)).toMatchObject({ severity: "Pass", score: 1 });
  });
});
