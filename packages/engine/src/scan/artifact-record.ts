import type { ComponentRecord, Finding, ImportRecord, IncompleteAnalysis } from "@modelward/core";

/** What the engine accumulates about one artifact while it is scanned; becomes a FileReport. */
export interface ArtifactRecord {
  target: string;
  path: string;
  members: string[];
  size: number;
  sha256?: string;
  format?: string;
  framework?: string;
  properties: Record<string, string | number | boolean>;
  analyzers: string[];
  skipReason?: string;
  incomplete: IncompleteAnalysis[];
  bytesRead: number;
  findings: Finding[];
  imports: ImportRecord[];
  components: ComponentRecord[];
}

/** A fresh record for an artifact. */
export function newRecord(target: string, path: string, members: string[], size: number): ArtifactRecord {
  return { target, path, members, size, properties: {}, analyzers: [], incomplete: [], bytesRead: 0, findings: [], imports: [], components: [] };
}
