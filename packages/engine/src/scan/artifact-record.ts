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
