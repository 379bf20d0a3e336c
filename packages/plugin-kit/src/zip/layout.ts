import type { IssueSink } from "./issue-sink.js";

/** A byte range some structure of the archive accounts for. */
export interface Region {
  /** First byte. */
  start: number;
  /** End, exclusive. */
  end: number;
  /** What it is: `entry`, `central-directory`, `zip64-eocd`, `zip64-locator`, `eocd`. */
  what: "entry" | "central-directory" | "zip64-eocd" | "zip64-locator" | "eocd";
  /** Entry name, for entries. */
  name?: string;
}

/** Gaps and overlaps of the archive's regions, as issues and unreferenced spans. */
export interface LayoutResult {
  /** Bytes before the first region. */
  prependedBytes: number;
  /** Bytes after the end record and its comment. */
  trailingBytes: number;
  /** Every gap, prepended and trailing data included. */
  unreferenced: { offset: number; length: number }[];
}

// Enough examples for a report; the count says how many more there were.
const MAX_REPORTED = 20;

/**
 * Check that entries, central directory and end records tile the file:
 * overlapping entries (overlap bombs, two names for one payload), bytes before
 * the first entry, bytes after the end record, and gaps no entry accounts for
 * (content a streaming reader would see but a directory reader would not).
 */
export function analyzeLayout(regions: Region[], fileSize: number, issues: IssueSink): LayoutResult {
  const sorted = [...regions].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || a.end - b.end);
  let overlaps = 0;
  let reach = 0;
  let reachRegion: Region | undefined;
  const unreferenced: { offset: number; length: number }[] = [];
  for (const r of sorted) {
    if (reachRegion && r.start < reach) {
      overlaps++;
      if (overlaps <= MAX_REPORTED) {
        const describe = (x: Region) => (x.what === "entry" ? `entry "${x.name}"` : `the ${x.what}`);
        issues.push({
          kind: "overlapping-entries",
          message: `${describe(r)} (bytes ${r.start}-${r.end}) overlaps ${describe(reachRegion)} (bytes ${reachRegion.start}-${reach})`,
          ...(r.name !== undefined ? { entry: r.name } : {}),
          offset: r.start,
          evidence: { first: reachRegion.name ?? reachRegion.what, second: r.name ?? r.what, overlapStart: r.start, overlapEnd: Math.min(reach, r.end) },
        });
      }
    } else if (r.start > reach) {
      unreferenced.push({ offset: reach, length: r.start - reach });
    }
    if (r.end > reach) {
      reach = r.end;
      reachRegion = r;
    }
  }
  if (overlaps > MAX_REPORTED) {
    issues.push({
      kind: "overlapping-entries",
      message: `${overlaps - MAX_REPORTED} more overlapping regions not listed individually`,
      evidence: { total: overlaps },
    });
  }
  if (fileSize > reach) unreferenced.push({ offset: reach, length: fileSize - reach });
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  let prependedBytes = 0;
  let trailingBytes = 0;
  for (const gap of unreferenced) {
    if (gap.offset === 0 && first) {
      prependedBytes = gap.length;
      issues.push({
        kind: "prepended-data",
        message: `${gap.length} bytes precede the first entry (a polyglot or a self-extracting stub): they are not part of any member`,
        offset: 0,
        evidence: { length: gap.length },
      });
    } else if (last && gap.offset >= reach && last.what === "eocd") {
      trailingBytes = gap.length;
      issues.push({
        kind: "trailing-data",
        message: `${gap.length} bytes follow the end-of-central-directory record and its comment`,
        offset: gap.offset,
        evidence: { length: gap.length },
      });
    } else {
      issues.push({
        kind: "unreferenced-data",
        message: `${gap.length} bytes at ${gap.offset} belong to no entry listed in the central directory (a hidden local entry is visible to streaming readers only)`,
        offset: gap.offset,
        evidence: { offset: gap.offset, length: gap.length },
      });
    }
  }
  return { prependedBytes, trailingBytes, unreferenced };
}
