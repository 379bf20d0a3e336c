import type { ComponentAdvisory, FileReport, ScanReport } from "@modelward/core";

/** One entry of a file's `dependencies` section: a library it declares, where, and its known advisories. */
export interface DependencyEntry {
  name: string;
  /** Exact version, or the range as written. */
  version?: string;
  purl?: string;
  /** 1-based line of the declaration (in the cell, when `cell` is set). */
  line?: number;
  cell?: number;
  /** Manifest kind it was declared in (`requirements`, `pyproject`, `notebook-install` …). */
  via?: string;
  advisories: ComponentAdvisory[];
}

/** The `dependencies` section of a file: its library components (the platform's `unsafe_dependencies` with advisories). */
export function dependenciesOf(file: FileReport): DependencyEntry[] {
  return file.components
    .filter((c) => c.type === "library")
    .map((c) => ({
      name: c.name,
      ...(c.version !== undefined ? { version: c.version } : {}),
      ...(c.purl !== undefined ? { purl: c.purl } : {}),
      ...(c.declaredAt ? { line: c.declaredAt.line, ...(c.declaredAt.cell !== undefined ? { cell: c.declaredAt.cell } : {}) } : {}),
      ...(c.via !== undefined ? { via: c.via } : {}),
      advisories: c.advisories ?? [],
    }));
}

/** The report with a `dependencies` section on every file that declares libraries (files without one are unchanged). */
export function withDependencies(report: ScanReport): ScanReport {
  return {
    ...report,
    files: report.files.map((f) => {
      const dependencies = dependenciesOf(f);
      return dependencies.length > 0 ? { ...f, dependencies } : f;
    }),
  };
}
