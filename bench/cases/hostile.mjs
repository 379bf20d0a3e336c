// The hostile-input suite at full size (issue 18): every case of @modelward/testing's hostileCases,
// scanned by the whole CLI once (start-up included). Targets: < 30 s and < 300 MB each. The exit code
// and whether the report names the problem are checked by `node scripts/hostile-run.mjs full`.
import { hostileCases } from "@modelward/testing";

export default hostileCases.map((c) => ({
  name: `hostile ${c.name}`,
  create: (dir) => c.build(dir, "full"),
  cli: (target, out) => ["scan", target, "-f", "json", "-o", out, "--timeout", "120"],
  runs: 1,
  target: { maxWallMs: 30_000, maxRssMb: 300 },
}));
