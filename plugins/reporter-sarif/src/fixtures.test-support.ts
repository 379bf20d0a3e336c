import type { ScanReport } from "@modelward/core";
import { sampleReport } from "@modelward/testing";

/** The sample with a second target (an HF repo) holding a copy of `classifier.pkl`. */
export function twoTargetReport(): ScanReport {
  const report = sampleReport();
  const hf = "hf://acme/resnet@0123456789abcdef0123456789abcdef01234567";
  report.targets.push({ uri: hf, input: "hf://acme/resnet", source: "hf", revision: "0123456789abcdef0123456789abcdef01234567" });
  const copy = structuredClone(report.files.find((f) => f.path === "classifier.pkl")!);
  copy.target = hf;
  for (const f of copy.findings) f.location.target = hf;
  report.files.push(copy);
  return report;
}
