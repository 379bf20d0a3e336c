import { createHash } from "node:crypto";
import {
  describeError,
  severityRank,
  type Finding,
  type AnalyzerContext,
  type ByteSource,
  type ExpansionBudget,
  type IncompleteAnalysis,
  type Limits,
  type NestedArtifact,
  type Ruleset,
} from "@modelward/core";
import type { RegisteredAnalyzer } from "../config/resolved-config.js";
import { compactIfBare, newRecord, type ArtifactRecord } from "./artifact-record.js";
import { countingFile, type CountingFile } from "./counting-file.js";
import { BUDGET_EXCEEDED } from "./budget-exceeded.js";
import type { ArtifactIdentity, FindingBuilder } from "./finding-builder.js";
import { modelFormatOf } from "./model-formats.js";
import { artifactGlobPath } from "./path-matcher.js";

/** Where an artifact sits: top-level file path, member chain, depth, and the top-level file's expansion budget. */
export interface ArtifactPlace {
  path: string;
  members: string[];
  depth: number;
  /** Shared by everything nested in one top-level file; created fresh when absent (a top-level file). */
  expansion?: ExpansionBudget;
}

/** A fresh expansion budget of `limit` bytes. */
export function expansionBudget(limit: number): ExpansionBudget {
  let remaining = limit;
  return {
    get remaining() {
      return remaining;
    },
    take(bytes) {
      if (!(bytes >= 0) || bytes > remaining) return false;
      remaining -= bytes;
      return true;
    },
  };
}

/** What an {@link ArtifactScanner} needs from the scan. */
export interface ArtifactScannerOptions {
  target: string;
  analyzers: readonly RegisteredAnalyzer[];
  /** Analyzers the config turned off: asked only to say why an unclaimed file was not analysed. */
  disabledAnalyzers?: readonly RegisteredAnalyzer[];
  rulesets: readonly Ruleset[];
  limits: Limits;
  findings: FindingBuilder;
  isIgnored: (path: string) => boolean;
  hashes: boolean;
  signal: AbortSignal;
  /** Receives every record as soon as it is created (records are filled in place). */
  onRecord: (record: ArtifactRecord) => void;
  /** Counts a nested artifact against the scan's `maxFiles`; false when the scan is full. */
  admitNested: () => boolean;
  /** Why `signal` was aborted (the scan deadline, a cancel), for the incomplete entries it leaves. */
  stopReason?: () => string;
}

/** An analysis ended from outside: its own time limit or the scan's deadline. */
class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimeoutError";
  }
}

/**
 * Sniffs an artifact, runs every analyzer whose `match` accepts it, and
 * recurses into members handed back with `scanNested`. Fails closed: a read
 * error, a throwing or hanging analyzer, a limit hit or an unclaimed file is
 * recorded on the artifact, and other analyzers' findings survive.
 */
/** Lookups kept beside a record so adding to it stays constant work. */
interface RecordIndex {
  byFingerprint: Map<string, Finding>;
  byRule: Map<string, Finding[]>;
  imports: Set<string>;
  components: Set<string>;
  /** Incomplete entries past the cap, counted in the record's last entry. */
  omittedIncomplete: number;
  /** Members refused because the scan passed `maxFiles`, counted in one entry. */
  overFileLimit?: { count: number; first: string; entry: IncompleteAnalysis };
}

export class ArtifactScanner {
  constructor(private readonly o: ArtifactScannerOptions) {}

  /** Scans one artifact (and, through analyzers, its members). Never rejects. */
  async scan(source: ByteSource, place: ArtifactPlace): Promise<void> {
    const record = newRecord(this.o.target, place.path, place.members, source.size);
    const linkedTo = (source as { linkedTo?: unknown }).linkedTo;
    if (typeof linkedTo === "string") record.linkedTo = linkedTo;
    const revision = (source as { revision?: unknown }).revision;
    if (typeof revision === "string") record.revision = revision;
    this.o.onRecord(record);
    if (place.depth > 0 && this.o.isIgnored(artifactGlobPath(place.path, place.members))) {
      record.skipReason = "ignored by config";
      return;
    }
    if (this.o.signal.aborted) {
      record.incomplete.push({ reason: `not analysed: ${this.stopReason()}` });
      await source.close?.().catch(() => undefined);
      return;
    }
    const file = countingFile(source, place, this.o.limits.maxReadBytes, { failShortReads: place.depth === 0 });
    const here: ArtifactPlace = { ...place, expansion: place.expansion ?? expansionBudget(this.o.limits.maxExpandedBytes) };
    try {
      await this.dispatch(file, here, record);
      if (this.o.hashes) record.sha256 = await sha256Of(file);
    } catch (error) {
      // A short read is reported once, as the change it is, below.
      if (!file.shortRead) record.incomplete.push({ reason: `could not read: ${describeError(error)}` });
    }
    try {
      // The source's own check first (size, mtime, ETag); a short read of a listed file proves the change for any source.
      const change = (await source.changed?.()) ?? file.shortRead;
      if (change) record.incomplete.push({ reason: `the file changed while it was read: ${change}` });
    } catch (error) {
      record.incomplete.push({ reason: `could not check the file was unchanged: ${describeError(error)}` });
    } finally {
      // A remote source with a block cache knows what went over the wire; that is what the scan cost.
      record.bytesRead = typeof source.bytesTransferred === "number" ? source.bytesTransferred : file.bytesRead;
      await source.close?.().catch(() => undefined);
    }
    compactIfBare(record);
  }

  /** A member its container's loader reads as raw data: recorded as skipped with the reason, never read or sniffed. */
  private recordRawData(member: NestedArtifact, place: ArtifactPlace): void {
    const record = newRecord(this.o.target, place.path, place.members, member.size);
    this.o.onRecord(record);
    record.skipReason = `raw data, never parsed by its loader: ${member.rawData}`;
    compactIfBare(record);
  }

  private async dispatch(file: CountingFile, place: ArtifactPlace, record: ArtifactRecord): Promise<void> {
    const n = Math.min(file.size, this.o.limits.headBytes);
    const head = await file.read(0, n);
    const tail = file.size <= n ? head : await file.read(file.size - n, file.size);
    file.retain(0, head);
    if (tail !== head) file.retain(file.size - tail.length, tail);
    const matched: RegisteredAnalyzer[] = [];
    for (const reg of this.o.analyzers) {
      try {
        if (reg.analyzer.match(file, head, tail)) matched.push(reg);
      } catch (error) {
        // match must not throw; if it does, the analyzer cannot vouch for the file either way.
        record.incomplete.push({ analyzer: reg.analyzer.id, reason: `match threw: ${describeError(error)}` });
      }
    }
    if (matched.length === 0) {
      const notAnalysed = file.size > 0 ? this.notAnalysedReason(file, head, tail) : undefined;
      if (notAnalysed) record.incomplete.push({ reason: notAnalysed });
      else if (record.incomplete.length === 0) record.skipReason = unclaimedReason(head, file.size, file.extension);
      return;
    }
    const handed: HandedMembers = new Map();
    for (const reg of matched) await this.run(reg, file, place, record, handed);
  }

  /**
   * Adds a finding to its record: identical ones (same fingerprint) fold into
   * `occurrences`; past `maxFindingsPerRule` of one rule the rest are counted,
   * and a more severe newcomer takes the place of the least severe kept one, so
   * the cap never lowers the verdict. Constant work per finding (maps), so a
   * flood of 100 k findings stays linear.
   */
  private stopReason(): string {
    return this.o.stopReason?.() ?? "the scan was cancelled";
  }

  private keep(record: ArtifactRecord, finding: Finding): void {
    const index = this.indexOf(record);
    const same = index.byFingerprint.get(finding.fingerprint);
    if (same) {
      same.occurrences++;
      return;
    }
    const kept = index.byRule.get(finding.ruleId) ?? [];
    if (kept.length < this.o.limits.maxFindingsPerRule) {
      kept.push(finding);
      index.byRule.set(finding.ruleId, kept);
      index.byFingerprint.set(finding.fingerprint, finding);
      record.findings.push(finding);
      return;
    }
    record.omittedFindings ??= {};
    record.omittedFindings[finding.ruleId] = (record.omittedFindings[finding.ruleId] ?? 0) + 1;
    // The latest of the least severe makes room: the first findings of a rule stay, as readers expect.
    let weakest = kept.length - 1;
    for (let i = kept.length - 2; i >= 0; i--) if (severityRank(kept[i]!.severity) < severityRank(kept[weakest]!.severity)) weakest = i;
    const evicted = kept[weakest]!;
    if (severityRank(finding.severity) <= severityRank(evicted.severity)) return;
    kept[weakest] = finding;
    index.byFingerprint.delete(evicted.fingerprint);
    index.byFingerprint.set(finding.fingerprint, finding);
    record.findings[record.findings.indexOf(evicted)] = finding;
  }

  /**
   * Adds an incomplete entry: past `maxFindingsPerRule` entries (a flood of members each left unread) the
   * rest are counted in one closing entry, so the record stays small while the file stays incomplete.
   */
  private noteIncomplete(record: ArtifactRecord, entry: IncompleteAnalysis): void {
    const index = this.indexOf(record);
    const cap = this.o.limits.maxFindingsPerRule;
    if (record.incomplete.length < cap) {
      record.incomplete.push(entry);
      return;
    }
    index.omittedIncomplete++;
    const summary = { reason: `${index.omittedIncomplete} more incomplete analyses not listed (maxFindingsPerRule ${cap})` };
    if (index.omittedIncomplete === 1) record.incomplete.push(summary);
    else record.incomplete[record.incomplete.length - 1] = summary;
  }

  /**
   * A member met after the scan analysed `maxFiles` files and members: counted in one incomplete entry
   * per container, and one high `engine/budget-exceeded` finding naming the limit (an entry flood split
   * over nested containers is an attack, and the members left unread may be the ones a loader runs).
   */
  private noteOverFileLimit(record: ArtifactRecord, analyzerId: string, member: string, identity: ArtifactIdentity): void {
    const index = this.indexOf(record);
    const reason = (first: string, n: number) =>
      `members not analyzed: the scan passed maxFiles (${this.o.limits.maxFiles} files and members), from "${first}"${n > 1 ? ` (${n} members)` : ""}`;
    const over = index.overFileLimit;
    if (over) {
      over.entry.reason = reason(over.first, ++over.count);
      return;
    }
    const entry = { analyzer: analyzerId, reason: reason(member, 1) };
    index.overFileLimit = { count: 1, first: member, entry };
    record.incomplete.push(entry);
    const finding = this.o.findings.build(
      {
        ruleId: BUDGET_EXCEEDED.id,
        message: `members were not analysed: the scan passed maxFiles (${this.o.limits.maxFiles} files and members), from "${member}"`,
        evidence: { budget: "maxFiles", limit: this.o.limits.maxFiles, firstMember: member },
      },
      identity,
    );
    if (finding) this.keep(record, finding);
  }

  /** Per-record lookups for {@link keep} and the import/component dedupe (constant work each); dropped with the record. */
  private readonly indexes = new WeakMap<ArtifactRecord, RecordIndex>();

  private indexOf(record: ArtifactRecord): RecordIndex {
    let index = this.indexes.get(record);
    if (!index) this.indexes.set(record, (index = { byFingerprint: new Map(), byRule: new Map(), imports: new Set(), components: new Set(), omittedIncomplete: 0 }));
    return index;
  }

  /**
   * Why a file no analyzer claimed is a model file left unread rather than
   * text to skip: a disabled analyzer would have read it, or it has a model
   * format's magic or extension. Undefined for anything else.
   */
  private notAnalysedReason(file: CountingFile, head: Uint8Array, tail: Uint8Array): string | undefined {
    for (const reg of this.o.disabledAnalyzers ?? []) {
      let claims = false;
      try {
        claims = reg.analyzer.match(file, head, tail);
      } catch {
        claims = false;
      }
      if (claims) return `not analysed: the ${reg.analyzer.id} analyzer that reads this file is disabled`;
    }
    const looks = modelFormatOf(file.name, file.extension, head, file.size);
    if (!looks) return undefined;
    const reader = this.o.analyzers.find((r) => r.analyzer.formats.includes(looks.format));
    return reader
      ? `not analysed: looks like ${looks.format} (${looks.by}) but the ${reader.analyzer.id} analyzer did not recognise its content`
      : `not analysed: ${looks.format} (${looks.by}) is not supported by the loaded analyzers`;
  }

  private async run(reg: RegisteredAnalyzer, file: CountingFile, place: ArtifactPlace, record: ArtifactRecord, handed: HandedMembers): Promise<void> {
    const { analyzer } = reg;
    const limits = this.o.limits;
    const timeout = new AbortController();
    const signal = AbortSignal.any([timeout.signal, this.o.signal]);
    let open = true; // reports after a timeout are dropped: the analysis is already marked incomplete
    let members = 0;
    record.analyzers.push(analyzer.id);
    const identity = { target: this.o.target, path: place.path, members: place.members };
    const ctx: AnalyzerContext<unknown> = {
      options: reg.options,
      limits,
      signal,
      expansion: place.expansion!,
      policies: (ns) => this.o.rulesets.flatMap((r) => (r.policies && ns in r.policies ? [r.policies[ns]] : [])),
      report: (input) => {
        if (!open) return;
        const finding = this.o.findings.build(input, identity);
        if (finding) this.keep(record, finding);
      },
      scanNested: async (member) => {
        if (!open) return;
        if (member.key !== undefined) {
          // Another analyzer of this container already handed these bytes under this name.
          const id = `${member.name}\u0000${member.key}`;
          const first = handed.get(id);
          if (first !== undefined && first !== analyzer.id) return;
          handed.set(id, analyzer.id);
        }
        members++;
        if (members > limits.maxMembersPerContainer) {
          if (members === limits.maxMembersPerContainer + 1)
            record.incomplete.push({ analyzer: analyzer.id, reason: `more than ${limits.maxMembersPerContainer} members (maxMembersPerContainer); the rest were not analyzed` });
          return;
        }
        if (!this.o.admitNested()) {
          this.noteOverFileLimit(record, analyzer.id, member.name, identity);
          return;
        }
        if (place.depth + 1 > limits.maxDepth) {
          this.noteIncomplete(record, { analyzer: analyzer.id, reason: `member "${member.name}" not analyzed: nesting deeper than maxDepth ${limits.maxDepth}` });
          return;
        }
        const nested: ArtifactPlace = { path: place.path, members: [...place.members, member.name], depth: place.depth + 1, expansion: place.expansion! };
        if (member.rawData !== undefined) this.recordRawData(member, nested);
        else await this.scan(member, nested);
      },
      describe: (facts) => {
        record.format ??= facts.format;
        record.framework ??= facts.framework;
        if (facts.model && place.members.length === 0) record.layout ??= { kind: facts.model.kind, parts: [...facts.model.parts] };
        Object.assign(record.properties, facts.properties);
      },
      recordImport: (imp) => {
        if (!open) return;
        // A set, not a scan of the list: 100 k distinct globals must stay linear.
        const seen = this.indexOf(record).imports;
        const key = `${imp.kind}\u0000${imp.name}`;
        if (seen.has(key)) return;
        seen.add(key);
        record.imports.push({ ...imp });
      },
      recordComponent: (c) => {
        if (!open) return;
        const seen = this.indexOf(record).components;
        const key = JSON.stringify([c.name, c.version ?? null]);
        if (seen.has(key)) return;
        seen.add(key);
        record.components.push({ ...c });
      },
      recordReference: (reference) => {
        if (!open) return;
        const list = (record.references ??= []);
        // Bounded like findings: a file naming a million shards costs the check no more than this.
        if (list.length < MAX_REFERENCES) list.push({ ...reference, rules: { ...reference.rules } });
        else if (list.length === MAX_REFERENCES && !record.incomplete.some((i) => i.reason.endsWith("referenced files; the rest were not checked"))) {
          record.incomplete.push({ analyzer: analyzer.id, reason: `more than ${MAX_REFERENCES} referenced files; the rest were not checked` });
        }
      },
      incomplete: (reason) => {
        if (open) this.noteIncomplete(record, { analyzer: analyzer.id, reason });
      },
    };
    let timer: NodeJS.Timeout | undefined;
    let onStop: (() => void) | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timeout.abort();
        reject(new TimeoutError(`timed out after ${limits.analyzerTimeoutMs} ms`));
      }, limits.analyzerTimeoutMs);
      // The scan's deadline ends this analysis too, even one that ignores ctx.signal.
      onStop = () => reject(new TimeoutError(`stopped: ${this.stopReason()}`));
      if (this.o.signal.aborted) onStop();
      else this.o.signal.addEventListener("abort", onStop, { once: true });
    });
    expired.catch(() => undefined);
    try {
      await Promise.race([analyzer.analyze(file, ctx), expired]);
    } catch (error) {
      record.incomplete.push({
        analyzer: analyzer.id,
        // A file cut under the analysis stops it; the record says so once, after the analyzers.
        reason: error instanceof TimeoutError ? error.message : file.shortRead ? "stopped: the file changed while it was read" : `threw: ${describeError(error)}`,
      });
    } finally {
      open = false;
      clearTimeout(timer);
      if (onStop) this.o.signal.removeEventListener("abort", onStop);
    }
  }
}

/** Referenced files kept per artifact for the scan-level check. */
const MAX_REFERENCES = 10_000;

/** Member `name\0key` → id of the analyzer that handed it first, per container. */
type HandedMembers = Map<string, string>;

function unclaimedReason(head: Uint8Array, size: number, extension: string): string {
  if (size === 0) return "empty file";
  const hex = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  return `no analyzer recognises this content (starts with ${hex}${extension ? `, extension .${extension}` : ""})`;
}

async function sha256Of(file: CountingFile): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of file.stream()) hash.update(chunk);
  return hash.digest("hex");
}
