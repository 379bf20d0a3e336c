import type { ScanReport } from "@modelward/core";
import { twoTargetSampleReport } from "@modelward/testing";

/** The sample with a second target (an HF repo) holding a copy of `classifier.pkl`. */
export function twoTargetReport(): ScanReport {
  return twoTargetSampleReport();
}
