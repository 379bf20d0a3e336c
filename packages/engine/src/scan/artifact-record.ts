import type { FileReference, FileReport, ModelLayout } from "@modelward/core";

/**
 * What the engine accumulates about one artifact while it is scanned: the
 * FileReport without what is computed at the end (status, roll-up severity, verdict).
 */
export type ArtifactRecord = Omit<FileReport, "status" | "highestSeverity" | "verdict"> & {
  /** Files of the target the artifact opens when loaded (engine-internal: checked at the end of the scan, not reported as such). */
  references?: FileReference[];
  /** The model layout the artifact declared as a model's root (engine-internal). */
  layout?: ModelLayout;
  /** The path of the model the artifact belongs to (reported as `FileReport.model`). */
  partOf?: string;
};

/** A fresh record for an artifact. */
export function newRecord(target: string, path: string, members: string[], size: number): ArtifactRecord {
  return { target, path, members, size, properties: {}, analyzers: [], incomplete: [], bytesRead: 0, findings: [], imports: [], components: [] };
}

// Shared by every record that ends with nothing in its lists (frozen: a push into one would reach them all).
const NONE: readonly never[] = Object.freeze([]);
const NO_PROPERTIES: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Lets a finished record that holds nothing but its place, size and skip reason (an empty file, text no
 * analyzer claims, a raw-data member) share one frozen empty list for each of its lists: a folder of
 * 100 k such files, or a checkpoint of a million storages, then costs a small object per entry. Call it
 * only when the record's analysis is over; the report is the same.
 */
export function compactIfBare(record: ArtifactRecord): void {
  if (
    record.findings.length === 0 &&
    record.incomplete.length === 0 &&
    record.analyzers.length === 0 &&
    record.imports.length === 0 &&
    record.components.length === 0 &&
    Object.keys(record.properties).length === 0
  ) {
    record.findings = NONE as never[];
    record.incomplete = NONE as never[];
    record.analyzers = NONE as never[];
    record.imports = NONE as never[];
    record.components = NONE as never[];
    record.properties = NO_PROPERTIES;
    if (record.members.length === 0) record.members = NONE as never[];
  }
}
