import { ISSUE_SEVERITY, type TemplateIssue, type TemplateIssueKind } from "./types.js";

const RANK = { critical: 4, high: 3, medium: 2, low: 1 } as const;
// A template that repeats one trick a thousand times is one issue with a count, not a thousand.
const MAX_ISSUES = 200;

/** Collects issues, folding repeats of the same kind and name. */
export class IssueSink {
  private readonly byKey = new Map<string, TemplateIssue>();

  add(kind: TemplateIssueKind, name: string, message: string, severity: TemplateIssue["severity"] = ISSUE_SEVERITY[kind]): void {
    const key = `${kind}\u0000${name}`;
    const seen = this.byKey.get(key);
    if (seen) {
      seen.occurrences++;
      if (RANK[severity] > RANK[seen.severity]) {
        seen.severity = severity;
        seen.message = message;
      }
      return;
    }
    if (this.byKey.size >= MAX_ISSUES) return;
    this.byKey.set(key, { kind, severity, name, message, occurrences: 1 });
  }

  /** Issues, most severe first, then in the order first seen. */
  list(): TemplateIssue[] {
    return [...this.byKey.values()].sort((a, b) => RANK[b.severity] - RANK[a.severity]);
  }
}
