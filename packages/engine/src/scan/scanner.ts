import {
  ModelwardError,
  describeError,
  type ScanReport,
  type Source,
  type SourceContext,
  type TargetDescription,
} from "@modelward/core";
import type { ResolvedConfig } from "../config/resolved-config.js";
import { newRecord, type ArtifactRecord } from "./artifact-record.js";
import { ArtifactScanner } from "./artifact-scanner.js";
import { budgetFinding } from "./budget-exceeded.js";
import { FilesOverLimit } from "./files-over-limit.js";
import { FindingBuilder } from "./finding-builder.js";
import { createPathMatcher } from "./path-matcher.js";
import { TaskPool } from "./pool.js";
import { reportModulesFromTarget } from "./target-modules.js";
import { checkTargetReferences } from "./target-references.js";
import { groupModels } from "./target-models.js";
import { buildReport } from "./report-builder.js";

/** Progress of a scan, for a display. */
export interface ScanProgress {
  /** Top-level files whose analysis finished. */
  filesDone: number;
  /** Top-level files found so far. */
  filesFound: number;
  /** Path of the file that just finished. */
  current?: string;
}

/** Options of one scan. */
export interface ScanOptions {
  /** Cancels the scan. */
  signal?: AbortSignal;
  /** Called as files finish. */
  onProgress?: (progress: ScanProgress) => void;
  /** Hash every file (in addition to `config.hashes`). */
  hashes?: boolean;
  /**
   * Whole-scan deadline in milliseconds. When it passes, running analyses
   * stop, and they and everything not yet listed are marked incomplete; the
   * report is still built.
   */
  timeoutMs?: number;
  /**
   * Options for sources by source id, laid over the config's `sources.<id>`
   * for this scan only (the scan service passes a job's credentials here, so
   * one scanner serves every project without keeping their secrets).
   */
  sourceOptions?: Record<string, Record<string, unknown>>;
}

/** A scanner composed from a resolved config. */
export interface Scanner {
  readonly config: ResolvedConfig;
  /** Scans the targets (paths or URIs) and returns the report. Rejects only when a target cannot be opened. */
  scan(targets: string[], options?: ScanOptions): Promise<ScanReport>;
}

/** Creates a scanner. `toolVersion` is written into reports. */
export function createScanner(config: ResolvedConfig, toolVersion: string): Scanner {
  return {
    config,
    async scan(targets, options = {}) {
      const startedAt = new Date();
      const deadline = new AbortController();
      const timer = options.timeoutMs !== undefined ? setTimeout(() => deadline.abort(), options.timeoutMs) : undefined;
      timer?.unref?.();
      const signal = AbortSignal.any([options.signal ?? new AbortController().signal, deadline.signal]);
      const stopReason = () =>
        deadline.signal.aborted ? `the scan deadline (${options.timeoutMs} ms) passed` : "the scan was cancelled";
      const records: ArtifactRecord[] = [];
      const descriptions: TargetDescription[] = [];
      const isIgnored = createPathMatcher(config.ignore);
      const findings = new FindingBuilder(config.rules, config.ruleSettings, config.suppressions);
      const progress: ScanProgress = { filesDone: 0, filesFound: 0 };
      // Top-level files and nested members share one budget (maxFiles).
      let artifactsSeen = 0;
      for (const target of targets) {
        if (signal.aborted) {
          const record = newRecord(target, "", [], 0);
          record.incomplete.push({ reason: `not analysed: ${stopReason()} before this target was opened` });
          records.push(record);
          continue;
        }
        const source = pickSource(config.sources, target);
        const sourceCtx: SourceContext<unknown> = {
          options: { ...config.sourceOptions[source.id], ...options.sourceOptions?.[source.id] },
          limits: config.limits,
          signal,
          isIgnored,
          skip: (entry) => {
            const record = newRecord(description?.uri ?? target, entry.path, [], 0);
            record.skipReason = entry.reason;
            records.push(record);
          },
          incomplete: (entry) => {
            const record = newRecord(description?.uri ?? target, entry.path, [], 0);
            record.incomplete.push({ reason: entry.reason });
            const budget = budgetFinding(entry);
            const finding = budget && findings.build(budget, { target: record.target, path: record.path, members: [] });
            if (finding) record.findings.push(finding);
            records.push(record);
          },
        };
        let description: TargetDescription | undefined;
        const opened = await source.open(target, sourceCtx);
        description = opened.description;
        descriptions.push(opened.description);
        const scanner = new ArtifactScanner({
          target: opened.description.uri,
          analyzers: config.analyzers,
          disabledAnalyzers: config.disabledAnalyzers,
          rulesets: config.rulesets,
          limits: config.limits,
          findings,
          isIgnored,
          hashes: config.hashes || options.hashes === true,
          signal,
          onRecord: (r) => records.push(r),
          stopReason,
          admitNested: () => ++artifactsSeen <= config.limits.maxFiles,
        });
        const pool = new TaskPool(config.limits.concurrency);
        // Past maxFiles the rest of the listing is only counted: one entry for all of it, however long.
        const overLimit = new FilesOverLimit(config.limits.maxFiles);
        try {
          for await (const file of opened.files()) {
            if (signal.aborted) break;
            if (++artifactsSeen > config.limits.maxFiles) {
              overLimit.add(file.path, file.size);
              await file.close?.().catch(() => undefined);
              continue;
            }
            progress.filesFound++;
            await pool.submit(async () => {
              await scanner.scan(file, { path: file.path, members: [], depth: 0 });
              progress.filesDone++;
              progress.current = file.path;
              options.onProgress?.({ ...progress });
            });
          }
        } catch (error) {
          // A source that fails mid-listing leaves the rest of the target unseen: never a silent pass.
          const record = newRecord(opened.description.uri, "", [], 0);
          record.incomplete.push({ reason: `listing the target failed: ${describeError(error)}` });
          records.push(record);
        } finally {
          await pool.drain();
          await opened.close();
        }
        const left = overLimit.record(opened.description.uri);
        if (left) {
          const finding = findings.build(left.finding, { target: left.record.target, path: "", members: [] });
          if (finding) left.record.findings.push(finding);
          records.push(left.record);
        }
        if (signal.aborted) {
          // What the source had not listed yet was never seen: say so at the target's root.
          const record = newRecord(opened.description.uri, "", [], 0);
          record.incomplete.push({ reason: `not analysed: ${stopReason()} before the whole target was listed and analysed` });
          records.push(record);
        }
      }
      clearTimeout(timer);
      // Scan-level checks need every artifact of the scan: imports against the files the target supplies.
      reportModulesFromTarget(records, findings);
      // …and the files each artifact opens when loaded against the files the target holds.
      checkTargetReferences(records, descriptions, findings);
      // …and multi-file models judged as one, once every finding is in.
      const models = groupModels(records);
      return buildReport(records, {
        toolVersion,
        analyzers: config.analyzers.map((a) => ({ id: a.analyzer.id, version: a.analyzer.version, plugin: a.plugin })),
        rulesets: config.rulesets.map((r) => r.id),
        startedAt,
        finishedAt: new Date(),
        targets: descriptions,
        failOn: config.failOn,
        failOnIncomplete: config.failOnIncomplete,
      }, models);
    },
  };
}

function pickSource(sources: ReadonlyMap<string, Source<unknown>>, target: string): Source<unknown> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target)?.[0]?.toLowerCase();
  for (const source of sources.values()) {
    if (scheme ? source.schemes.includes(scheme) : source.schemes.length === 0) return source;
  }
  throw new ModelwardError(
    "MW_TARGET_UNSUPPORTED",
    scheme
      ? `no loaded source handles ${scheme} targets (loaded: ${[...sources.values()].map((s) => s.schemes.join(",") || "paths").join("; ") || "none"})`
      : "no loaded source handles local paths (add @modelward/source-file)",
  );
}
