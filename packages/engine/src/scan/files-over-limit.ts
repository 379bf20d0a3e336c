import type { FindingInput } from "@modelward/core";
import { newRecord, type ArtifactRecord } from "./artifact-record.js";
import { BUDGET_EXCEEDED } from "./budget-exceeded.js";
import { modelFormatOf } from "./model-formats.js";

/** Paths named in the report per kind (model-looking, other): enough to act on, bounded whatever the folder holds. */
export const OVER_LIMIT_NAMED = 20;

const NO_HEAD = new Uint8Array(0);

/**
 * The top-level files of one target that a source listed after the scan had
 * analysed `maxFiles` files and members. Each costs a counter, never a record:
 * a folder of millions of files left unread is one report entry naming the
 * limit, how many files were left, and the first of them, model-looking names
 * (`.pkl`, `.pt`, `saved_model.pb`…, judged by name only, since they are
 * never opened) before the rest, since those are what a loader would run.
 */
export class FilesOverLimit {
  private count = 0;
  private modelLike = 0;
  private bytes = 0;
  private readonly models: string[] = [];
  private readonly others: string[] = [];

  constructor(private readonly maxFiles: number) {}

  /** Counts one file left unread. */
  add(path: string, size: number): void {
    this.count++;
    this.bytes += Number.isFinite(size) && size > 0 ? size : 0;
    const name = path.slice(path.lastIndexOf("/") + 1);
    const dot = name.lastIndexOf(".");
    const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
    if (modelFormatOf(name, extension, NO_HEAD, size) !== undefined) {
      this.modelLike++;
      if (this.models.length < OVER_LIMIT_NAMED) this.models.push(path);
    } else if (this.others.length < OVER_LIMIT_NAMED) this.others.push(path);
  }

  /** The target-level record (incomplete, with the finding's input), or undefined when nothing passed the limit. */
  record(target: string): { record: ArtifactRecord; finding: FindingInput } | undefined {
    if (this.count === 0) return undefined;
    const record = newRecord(target, "", [], this.bytes);
    const named = [...this.models, ...this.others].slice(0, OVER_LIMIT_NAMED);
    const more = this.count - named.length;
    const list = named.map((p) => JSON.stringify(p)).join(", ") + (more > 0 ? ` and ${more} more` : "");
    const models = this.modelLike ? `, ${this.modelLike} of them named like model files` : "";
    record.incomplete.push({ reason: `${this.count} files not analysed: the scan passed maxFiles (${this.maxFiles} files and members)${models}: ${list}` });
    const finding: FindingInput = {
      ruleId: BUDGET_EXCEEDED.id,
      message: `${this.count} files were not analysed: the scan passed maxFiles (${this.maxFiles} files and members)${models}; the first: ${list}`,
      evidence: { budget: "maxFiles", limit: this.maxFiles, notAnalysed: this.count, namedLikeModels: this.modelLike, first: named.join("\n") },
    };
    return { record, finding };
  }
}
