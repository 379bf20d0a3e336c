import type { AnalyzerContext } from "@modelward/core";
import type { ZipArchive } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";
import { scriptPolicy } from "./script-policy.js";
import { scanTorchScriptSource } from "./torchscript-code.js";
import { entrySource, readText } from "./zip-member-source.js";
import type { TorchZipLayout } from "./zip-layout.js";

// Generated TorchScript for large models runs to a few MB per file; more is not code anyone wrote.
const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
// Bounds the total work over all sources of one archive.
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/** Scans every `<prefix>/code/**.py` source of a TorchScript archive for dangerous calls (bounded reads), judged with the pickle policy. */
export async function scanTorchScriptCode(ctx: AnalyzerContext<unknown>, archive: ZipArchive, layout: TorchZipLayout): Promise<void> {
  let total = 0;
  const policy = scriptPolicy(ctx);
  for (const entry of archive.entries) {
    if (layout.role(entry, true) !== "script-code") continue;
    if (total >= MAX_TOTAL_BYTES) {
      ctx.incomplete(`TorchScript sources beyond ${MAX_TOTAL_BYTES} bytes were not scanned`);
      return;
    }
    const opened = await entrySource(archive, entry, ctx);
    if ("reason" in opened) {
      ctx.incomplete(`TorchScript source "${entry.name}" not scanned: ${opened.reason}`);
      continue;
    }
    const size = opened.source.size;
    if (size > MAX_SOURCE_BYTES) ctx.incomplete(`only the first ${MAX_SOURCE_BYTES} of ${size} bytes of "${entry.name}" were scanned`);
    const text = await readText(opened.source, MAX_SOURCE_BYTES);
    total += Math.min(size, MAX_SOURCE_BYTES);
    for (const hit of scanTorchScriptSource(text, policy)) {
      ctx.recordImport({ kind: "call", name: hit.call, safety: hit.family === "custom-op" ? "unknown" : "dangerous" });
      ctx.report({
        ruleId: RULES.torchscriptDangerousCall.id,
        severity: hit.severity,
        message: `${entry.name} line ${hit.line}: ${hit.call} ${hit.why}`,
        evidence: { member: entry.name, call: hit.call, family: hit.family, line: hit.line, column: hit.column },
      });
    }
  }
}
