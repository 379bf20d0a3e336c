// Preloaded (`node --import`) into every process a whole-process bench case times, the
// baseline `node -e 0` included, so both pay the same: at exit, writes the process's peak
// RSS (kilobytes, the kernel's own accounting) to the file named by MODELWARD_BENCH_RUSAGE.
import { writeFileSync } from "node:fs";

const out = process.env.MODELWARD_BENCH_RUSAGE;
if (out) process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
