// The archive family of the hostile-input suite (issue 18) at full size, whole process:
// each must end with a report in < 30 s and < 300 MB peak RSS. `pnpm bench hostile`.
import { archiveHostileCases } from "@modelward/testing";
import { scanArgs } from "../lib/scan-args.mjs";

export default archiveHostileCases.map((c) => ({
  name: `hostile ${c.name}`,
  create: (dir) => c.build(dir, "full"),
  cli: scanArgs,
  runs: 1,
  target: { maxWallMs: 30_000, maxRssMb: 300 },
  metrics: (report) => ({
    verdict: report.summary.verdict,
    rules: [...new Set(report.files.flatMap((f) => f.findings.map((x) => x.ruleId)))].join(" "),
    incomplete: report.summary.files.incomplete,
  }),
}));
