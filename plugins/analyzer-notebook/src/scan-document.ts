import type { TextDocument } from "@modelward/notebook";
import { assignmentSecrets } from "./assignment-secrets.js";
import type { Hit } from "./hit.js";
import { providerSecrets } from "./provider-secrets.js";
import { RULES } from "./rules.js";
import { secretlintSecrets } from "./secretlint-secrets.js";

/** A hit with the segment of the document it is in. */
export interface DocumentHit {
  segment: number;
  hit: Hit;
}

/** Extra detectors run per segment (PII, …). */
export type SegmentDetector = (text: string) => Hit[];

const SEPARATOR = "\n\n";
const SEVERITY_RANK = { critical: 5, high: 4, medium: 3, low: 2, info: 1 } as const;

/**
 * Every secret in a document: secretlint's preset over the whole text (one
 * call, segments joined and mapped back), Modelward's provider and assignment
 * detectors and `extra` per segment. Overlapping hits are merged, keeping the
 * most specific one.
 */
export async function scanDocument(doc: TextDocument, extra: SegmentDetector[] = []): Promise<DocumentHit[]> {
  const perSegment: Hit[][] = doc.segments.map((seg) => [...providerSecrets(seg.text), ...assignmentSecrets(seg.text), ...extra.flatMap((d) => d(seg.text))]);

  const starts: number[] = [];
  let joined = "";
  for (const seg of doc.segments) {
    starts.push(joined.length);
    joined += seg.text + SEPARATOR;
  }
  for (const hit of await secretlintSecrets(joined)) {
    const segment = segmentOf(starts, hit.start);
    const base = starts[segment]!;
    const len = doc.segments[segment]!.text.length;
    if (hit.end - base > len) continue; // spans a separator: not inside one segment
    perSegment[segment]!.push({ ...hit, start: hit.start - base, end: hit.end - base });
  }

  const out: DocumentHit[] = [];
  perSegment.forEach((hits, segment) => {
    for (const hit of mergeOverlaps(hits)) out.push({ segment, hit });
  });
  return out;
}

function segmentOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Preference between overlapping hits: specific rules over PII over the generic assignment rule, then Modelward's own (checksum-checked, example-aware) over secretlint's, then severity, then length. */
function score(h: Hit): number {
  const specific = h.rule.id === RULES.assignment.id ? 0 : h.rule.id.startsWith("notebook/pii-") ? 1 : 2;
  const checked = h.detector === "modelward" ? 1 : 0;
  const sev = SEVERITY_RANK[h.severity ?? h.rule.defaultSeverity];
  return specific * 1e6 + checked * 1e5 + sev * 1e4 + Math.min(999, h.end - h.start);
}

function mergeOverlaps(hits: Hit[]): Hit[] {
  const sorted = [...hits].sort((a, b) => score(b) - score(a));
  const kept: Hit[] = [];
  for (const h of sorted) {
    if (kept.some((k) => h.start < k.end && k.start < h.end)) continue;
    kept.push(h);
  }
  return kept.sort((a, b) => a.start - b.start);
}
