import { readFileSync, statSync } from "node:fs";
import { it } from "vitest";
import { memoryFile, recordingContext } from "@modelward/testing";
import { ALL_RULES, archiveAnalyzer } from "../src/index.js";

// False-positive check on real archives found on this machine (wheels, jars, tarballs):
// lists every finding and incomplete entry. Paths come from a file list (one per line).
it("scans real archives", async () => {
  const lists = (process.env.MW_ARCHIVE_LISTS ?? "/tmp/realzips.txt,/tmp/realtars.txt").split(",");
  const out: string[] = [];
  for (const list of lists) {
    for (const path of readFileSync(list, "utf8").split("\n").filter(Boolean)) {
      if (statSync(path).size > 200 * 1024 * 1024) continue;
      const bytes = new Uint8Array(readFileSync(path));
      const { ctx, recording } = recordingContext();
      const file = memoryFile(path.split("/").pop()!, bytes);
      if (!archiveAnalyzer.match(file, bytes.subarray(0, 4096), bytes.subarray(Math.max(0, bytes.length - 4096)))) {
        out.push(`${path}: not matched`);
        continue;
      }
      await archiveAnalyzer.analyze(file, ctx);
      const f = recording.findings.map((x) => `${x.ruleId}:${x.severity ?? ALL_RULES.find((r) => r.id === x.ruleId)?.defaultSeverity} ${x.message.slice(0, 120)}`);
      out.push(`${path}: ${recording.nested.length} members, ${f.length ? f.join(" | ") : "no findings"}${recording.incomplete.length ? `, incomplete: ${recording.incomplete.join("; ")}` : ""}`);
    }
  }
  console.log(out.join("\n"));
});
