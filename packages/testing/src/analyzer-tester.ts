import {
  isAtLeast,
  type FileReport,
  type Finding,
  type Limits,
  type Plugin,
  type Ruleset,
  type ScanReport,
  type Severity,
} from "@modelward/core";
import { createScanner, resolveConfig } from "@modelward/engine";
import { describe, expect, it } from "vitest";
import { memorySourcePlugin, memoryTarget } from "./memory-source.js";

/** A case that must not alarm. */
export interface ValidCase {
  name: string;
  /** File name (the extension is a hint to analyzers). Default `sample.bin`. */
  path?: string;
  bytes: Uint8Array | (() => Uint8Array);
  /** Findings strictly below this severity are tolerated. Default `medium` (nothing at medium or above). */
  below?: Severity;
  /** Whether an incomplete analysis is acceptable. Default false. */
  allowIncomplete?: boolean;
}

/** A finding a case must produce. */
export interface ExpectedFinding {
  ruleId: string;
  /** Exact severity. */
  severity?: Severity;
  /** Lowest acceptable severity. */
  atLeast?: Severity;
  /** Substring or pattern of the message. */
  message?: string | RegExp;
  /** Member chain the finding must be in (default: any). */
  members?: string[];
}

/** A case that must alarm. */
export interface InvalidCase {
  name: string;
  path?: string;
  bytes: Uint8Array | (() => Uint8Array);
  findings: ExpectedFinding[];
  allowIncomplete?: boolean;
}

/** What the tester composes. */
export interface AnalyzerTesterOptions {
  /** Plugins under test (and any they need, e.g. an archive plugin for nested cases). */
  plugins: Plugin[];
  rulesets?: Ruleset[];
  /** Options per analyzer id. */
  analyzerOptions?: Record<string, Record<string, unknown>>;
  limits?: Partial<Limits>;
  /** Analyzer ids the config turns off (loaded, not run). */
  disabledAnalyzers?: string[];
}

/**
 * Valid/invalid tables in the ESLint style, run through the real engine on
 * in-memory files, so dispatch, nesting, rule metadata and fail-closed
 * behaviour are exercised as in a real scan. Published for third-party plugin authors.
 */
export class AnalyzerTester {
  constructor(private readonly options: AnalyzerTesterOptions) {}

  /** Scans one in-memory file as a target of its own (no siblings, as a path to a file) and returns the report. */
  async scan(path: string, bytes: Uint8Array): Promise<ScanReport> {
    return this.scanTarget({ [path]: bytes }, true);
  }

  /** Scans an in-memory tree (a folder) and returns the report. */
  async scanTree(tree: Record<string, Uint8Array>): Promise<ScanReport> {
    return this.scanTarget(tree, false);
  }

  private async scanTarget(tree: Record<string, Uint8Array>, file: boolean): Promise<ScanReport> {
    const analyzers: Record<string, { options: Record<string, unknown> } | false> = Object.fromEntries(
      Object.entries(this.options.analyzerOptions ?? {}).map(([id, options]) => [id, { options }]),
    );
    for (const id of this.options.disabledAnalyzers ?? []) analyzers[id] = false;
    const config = await resolveConfig([
      {
        config: {
          plugins: [memorySourcePlugin, ...this.options.plugins],
          rulesets: this.options.rulesets ?? [],
          analyzers,
          limits: this.options.limits ?? {},
          reporters: [],
        },
        file: "<AnalyzerTester>",
        baseDir: process.cwd(),
      },
    ]);
    return createScanner(config, "0.0.0-test").scan([memoryTarget(tree, { file })]);
  }

  /**
   * Registers one vitest test per case under `describe(name)`. Either list may be empty or left out
   * (a plugin whose every sample alarms has no valid case), but not both: a table with no case tests nothing.
   */
  run(name: string, cases: { valid?: ValidCase[]; invalid?: InvalidCase[] }): void {
    const valid = cases.valid ?? [];
    const invalid = cases.invalid ?? [];
    if (valid.length === 0 && invalid.length === 0) throw new Error(`AnalyzerTester.run("${name}"): no valid and no invalid case`);
    describe(name, () => {
      if (valid.length > 0) describe("valid", () => {
        for (const c of valid) {
          it(c.name, async () => {
            const report = await this.scan(c.path ?? "sample.bin", bytesOf(c.bytes));
            const below = c.below ?? "medium";
            const alarming = allFindings(report).filter((f) => isAtLeast(f.severity, below));
            expect(alarming.map(describeFinding), `no finding at ${below} or above`).toEqual([]);
            if (!c.allowIncomplete) expect(incompleteReasons(report), "analysis complete").toEqual([]);
          });
        }
      });
      if (invalid.length > 0) describe("invalid", () => {
        for (const c of invalid) {
          it(c.name, async () => {
            const report = await this.scan(c.path ?? "sample.bin", bytesOf(c.bytes));
            const found = allFindings(report);
            for (const want of c.findings) {
              const hit = found.find((f) => matches(f, want));
              expect(hit, `expected ${JSON.stringify(want)}; got:\n${found.map(describeFinding).join("\n") || "(no findings)"}`).toBeDefined();
            }
            if (!c.allowIncomplete) expect(incompleteReasons(report), "analysis complete").toEqual([]);
          });
        }
      });
    });
  }
}

/** Every finding of a report, all files. */
export function allFindings(report: ScanReport): Finding[] {
  return report.files.flatMap((f: FileReport) => f.findings);
}

/** `path ▸ member: analyzer: reason` for every incomplete analysis of a report. */
export function incompleteReasons(report: ScanReport): string[] {
  return report.files.flatMap((f) => f.incomplete.map((i) => `${[f.path, ...f.members].join(" ▸ ")}: ${i.analyzer ?? "engine"}: ${i.reason}`));
}

function matches(f: Finding, want: ExpectedFinding): boolean {
  if (f.ruleId !== want.ruleId) return false;
  if (want.severity && f.severity !== want.severity) return false;
  if (want.atLeast && !isAtLeast(f.severity, want.atLeast)) return false;
  if (want.message !== undefined && !(typeof want.message === "string" ? f.message.includes(want.message) : want.message.test(f.message)))
    return false;
  if (want.members && JSON.stringify(want.members) !== JSON.stringify(f.location.members)) return false;
  return true;
}

function describeFinding(f: Finding): string {
  return `${f.severity} ${f.ruleId} ${[f.location.path, ...f.location.members].join(" ▸ ")}: ${f.message}`;
}

function bytesOf(b: Uint8Array | (() => Uint8Array)): Uint8Array {
  const bytes = typeof b === "function" ? b() : b;
  // JavaScript callers get no type check: a builder passed instead of its bytes must not scan as garbage.
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`a case's bytes must be a Uint8Array (a builder needs its terminal call, e.g. pickle()….toBytes()); got ${Object.prototype.toString.call(bytes)}`);
  return bytes;
}
