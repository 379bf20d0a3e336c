import type { ZipIssue, ZipIssueKind } from "./zip-types.js";

/** Where the reader's parts record what they notice: only `push` is needed, so a capped collector fits. */
export interface IssueSink {
  push(issue: ZipIssue): void;
}

/**
 * Collects a reader's issues with at most `perKind` of each kind kept: a hostile
 * directory can make one kind fire per entry (a million name mismatches), and
 * each kept issue costs memory and, later, a finding. The rest are counted and
 * summed up by {@link list} in one issue per kind, so nothing is silently lost.
 */
export class CappedIssues implements IssueSink {
  private readonly kept: ZipIssue[] = [];
  private readonly counts = new Map<ZipIssueKind, number>();

  constructor(private readonly perKind: number) {}

  push(issue: ZipIssue): void {
    const n = (this.counts.get(issue.kind) ?? 0) + 1;
    this.counts.set(issue.kind, n);
    if (n <= this.perKind) this.kept.push(issue);
  }

  /** The kept issues, then one "N more" issue for each kind past the cap. */
  list(): ZipIssue[] {
    const out = [...this.kept];
    for (const [kind, n] of this.counts) {
      if (n > this.perKind) {
        out.push({ kind, message: `${n - this.perKind} more ${kind} issues not listed individually`, evidence: { total: n, listed: this.perKind } });
      }
    }
    return out;
  }
}
