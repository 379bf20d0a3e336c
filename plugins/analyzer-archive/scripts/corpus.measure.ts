import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "vitest";
import { sniff } from "@modelward/plugin-kit";
import { memoryFile, recordingContext } from "@modelward/testing";
import { ALL_RULES, sevenZipHandler, tarHandler, wrapperHandler, zipHandler } from "../src/index.js";

// Measures the archive analyzers on the shared corpus: every manifest file an archive
// analyzer matches by content, with the members it hands over, recursively through
// nested archives (a stand-in for the engine's dispatch of archive members).
const CORPUS = process.env.MODELWARD_CORPUS ?? "/work/shared/corpus";
const analyzers = [zipHandler, sevenZipHandler, wrapperHandler, tarHandler];

interface Line {
  depth: number;
  text: string;
}

async function run(path: string, bytes: Uint8Array, members: string[], out: Line[]): Promise<boolean> {
  const file = memoryFile(path, bytes, { members });
  const head = bytes.subarray(0, 4096);
  const tail = bytes.subarray(Math.max(0, bytes.length - 4096));
  const handler = analyzers.find((a) => a.match(file, head, tail));
  const depth = members.length;
  if (!handler) {
    out.push({ depth, text: `member ${members[members.length - 1]} (${bytes.length} B) sniffed as [${sniff(head, tail).join(",") || "unknown"}] -> handed to engine` });
    return false;
  }
  const { ctx, recording } = recordingContext();
  await handler.analyze(file, ctx);
  const findings = recording.findings.map((f) => `${f.ruleId}:${f.severity ?? ALL_RULES.find((r) => r.id === f.ruleId)?.defaultSeverity}`);
  out.push({
    depth,
    text: `${depth ? `member ${members[members.length - 1]}` : path} [${handler.formats.join("/")}] findings=${findings.length ? findings.join(" ") : "none"}${recording.incomplete.length ? ` incomplete=${recording.incomplete.length}` : ""}`,
  });
  for (const n of recording.nested) await run(path, n.bytes, [...members, n.name], out);
  return true;
}

it("measures the corpus", async () => {
  const rows = readFileSync(join(CORPUS, "MANIFEST.tsv"), "utf8").trim().split("\n").slice(1);
  const report: string[] = [];
  for (const row of rows) {
    const [path, format, expected] = row.split("\t");
    const bytes = new Uint8Array(readFileSync(join(CORPUS, path!)));
    const out: Line[] = [];
    if (!(await run(path!, bytes, [], out))) continue;
    report.push(`## ${path} — manifest: ${format} / ${expected}`);
    for (const l of out) report.push(`${"  ".repeat(l.depth)}${l.text}`);
  }
  console.log(report.join("\n"));
});
