import type { AnalyzerContext, EvidenceValue, PositionInFile } from "@modelward/core";
import { describeOrigin, type TextDocument } from "@modelward/notebook";
import { redact } from "./redact.js";
import type { DocumentHit } from "./scan-document.js";

/**
 * Report hits as findings that say what and where (cell, execution count,
 * output, line, column) and carry only the redacted form and a hash of the
 * value: the raw secret is in no message, evidence or position. Every hit is
 * reported: the engine keeps `limits.maxFindingsPerRule` per rule (the most
 * severe) and counts the rest in the file's `omittedFindings`, so a dump of a
 * user table is capped and said to be.
 */
export function reportHits(ctx: AnalyzerContext, doc: TextDocument, hits: DocumentHit[]): void {
  for (const { segment, hit } of hits) {
    const pos = doc.locate(segment, hit.start);
    const { redacted, sha256, length } = redact(hit.value);
    const where = describeOrigin(pos.origin, pos.line);
    const position: PositionInFile = { line: pos.line, column: pos.column };
    if (pos.origin.cell !== undefined) position.cell = pos.origin.cell;
    if (pos.origin.jsonPointer) position.jsonPointer = pos.origin.jsonPointer;
    const evidence: Record<string, EvidenceValue> = { redacted, sha256, length, detector: hit.detector, part: pos.origin.part };
    if (pos.origin.executionCount != null) evidence.executionCount = pos.origin.executionCount;
    if (pos.origin.outputKind) evidence.output = pos.origin.outputKind;
    if (hit.note) evidence.note = hit.note;
    ctx.report({
      ruleId: hit.rule.id,
      message: `${hit.kind} ${redacted} (sha256 ${sha256}) ${where ? `in ${where}` : `at line ${pos.line}`}, column ${pos.column}${hit.note ? ` (${hit.note})` : ""}`,
      position,
      evidence,
      ...(hit.severity ? { severity: hit.severity } : {}),
      ...(hit.confidence ? { confidence: hit.confidence } : {}),
    });
  }
}
