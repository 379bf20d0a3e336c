// Arguments shared by whole-process bench cases, and the optional picklescan reference.

/** `modelward scan <target>` writing only a JSON report (for the case's metrics) and nothing on stdout. */
export const scanArgs = (target, reportPath) => ["scan", target, "-q", "-f", "json", "-o", reportPath];

/**
 * picklescan run from a source tree with Debian's python3, when MODELWARD_BENCH_PICKLESCAN_SRC
 * names its `src` folder (e.g. a checkout of github.com/mmaitre314/picklescan); otherwise undefined.
 */
export function picklescan(target) {
  const src = process.env.MODELWARD_BENCH_PICKLESCAN_SRC;
  if (!src) return undefined;
  const code = "import sys; sys.path.insert(0, sys.argv[1]); from picklescan.cli import main; sys.argv = ['picklescan', '-p', sys.argv[2]]; sys.exit(main())";
  return ["/usr/bin/python3", "-c", code, src, target];
}
