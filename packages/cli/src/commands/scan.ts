import { resolve } from "node:path";
import { ModelwardError, didYouMean, type ConfigObject, type Severity, type SourceParams } from "@modelward/core";
import { createScanner, type ResolvedConfig } from "@modelward/engine";
import { EXIT, wantsColor, writeChunks, writeChunksToFile, type CliIO } from "../io.js";
import { loadCliConfig } from "../load.js";
import { checkWritable, outputError } from "../output-file.js";
import { createProgress } from "../progress.js";
import { sourceOverrides } from "../source-flags.js";
import { sourceRootOf } from "../source-root.js";
import { cwdRelativeIgnores } from "../ignore-globs.js";
import { VERSION } from "../version.js";

/** Parsed options of `modelward scan`. */
export interface ScanArgs {
  targets: string[];
  /** Remote source parameters from the flags, by platform name (`--repo-type` may name a target). */
  sourceParams?: SourceParams;
  config?: string;
  format?: string[];
  output?: string[];
  failOn?: Severity | "none";
  failOnIncomplete?: boolean;
  /** Findings shown (console) and written (SARIF) at or above this severity. */
  severity?: Severity;
  analyzer?: string[];
  disableAnalyzer?: string[];
  ignore?: string[];
  hashes?: boolean;
  /** Files analysed at once, as typed (checked here, so the error can quote it). */
  concurrency?: string | number;
  /** Whole-scan deadline in seconds, as typed. */
  timeout?: string | number;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  progress?: boolean;
}

/** One output: a reporter id, its options, and a file (or stdout). */
interface OutputPlan {
  reporter: string;
  options: Record<string, unknown>;
  file?: string;
}

/** Runs `modelward scan` and returns the exit code. */
export async function scanCommand(args: ScanArgs, io: CliIO): Promise<number> {
  const remote = sourceOverrides(args.sourceParams ?? {});
  if (remote.target !== undefined) args = { ...args, targets: [...args.targets, remote.target] };
  checkTargets(args.targets);
  const timeout = args.timeout === undefined ? undefined : parseNumberOption("--timeout", args.timeout, { integer: false, what: "a positive number of seconds, e.g. --timeout 300" });
  const concurrency = args.concurrency === undefined ? undefined : parseNumberOption("--concurrency", args.concurrency, { integer: true, what: "a positive whole number, e.g. --concurrency 4" });
  const overrides: ConfigObject = {};
  if (args.failOn !== undefined) overrides.failOn = args.failOn;
  if (args.failOnIncomplete !== undefined) overrides.failOnIncomplete = args.failOnIncomplete;
  const localTargets = args.targets.filter((t) => t !== "-" && (!/^[a-z][a-z0-9+.-]*:\/\//i.test(t) || t.startsWith("file://")));
  const localPaths = localTargets.map((t) => (t.startsWith("file://") ? new URL(t).pathname : t));
  if (args.ignore?.length) overrides.ignore = cwdRelativeIgnores(args.ignore, localPaths, io.cwd);
  if (args.hashes) overrides.hashes = true;
  if (concurrency !== undefined) overrides.limits = { concurrency };
  if (Object.keys(remote.sources).length) overrides.sources = remote.sources;
  const { config } = await loadCliConfig(io, {
    ...(args.config !== undefined ? { config: args.config } : {}),
    overrides,
    scanPaths: localPaths,
  });
  selectAnalyzers(config, args.analyzer, args.disableAnalyzer);
  const outputs = planOutputs(config, args);
  for (const o of outputs)
    if (!config.reporters.has(o.reporter))
      throw new ModelwardError(
        "MW_REPORTER_UNKNOWN",
        `unknown format "${o.reporter}".${didYouMean(o.reporter, config.reporters.keys())} Available: ${[...config.reporters.keys()].join(", ")}`,
      );
  // A report that cannot be written is found out now, not after a long scan.
  for (const o of outputs) if (o.file !== undefined) checkWritable(resolve(io.cwd, o.file), o.reporter);

  const sourceRoot = sourceRootOf(localPaths, io.cwd);
  const scanner = createScanner(config, VERSION);
  const progress = createProgress(io.stderr as never, args.progress ?? (io.stderr.isTTY === true && !args.quiet));
  const needsHashes = outputs.some((o) => config.reporters.get(o.reporter)?.needs?.sha256);
  const report = await scanner.scan(args.targets, {
    onProgress: (p) => progress.update(p),
    hashes: needsHashes,
    ...(timeout !== undefined ? { timeoutMs: Math.round(timeout * 1000) } : {}),
  });
  progress.done();

  for (const o of outputs) {
    const reporter = config.reporters.get(o.reporter)!;
    const toStdout = o.file === undefined;
    const color = toStdout ? wantsColor(io.stdout, io.env, args.color) : false;
    const options = { ...o.options, ...(args.verbose ? { verbose: true } : {}), ...(args.severity ? { severity: args.severity } : {}) };
    delete (options as Record<string, unknown>).output;
    const rctx = { options, rules: config.rules, color, workingDirectory: io.cwd, sourceRoot };
    // Streamed where the reporter can: a report may be larger than one JavaScript string.
    const chunks = reporter.renderChunks ? reporter.renderChunks(report, rctx) : [await reporter.render(report, rctx)];
    if (toStdout) await writeChunks(io.stdout, chunks);
    else {
      const file = resolve(io.cwd, o.file!);
      await writeChunksToFile(file, chunks).catch((error: unknown) => {
        throw outputError(file, o.reporter, error);
      });
      if (!args.quiet) io.stderr.write(`modelward: wrote ${o.reporter} report to ${file}\n`);
    }
  }
  if (report.summary.verdict === "none") {
    if (!args.quiet) io.stderr.write("modelward: nothing was analysed (no file, or every file skipped): not a pass\n");
    return EXIT.error;
  }
  return report.summary.failed ? EXIT.failed : EXIT.clean;
}

/** An empty target would silently mean the working directory; standard input can be read only once. */
function checkTargets(targets: string[]): void {
  if (targets.length === 0) throw new ModelwardError("MW_USAGE", "give a target: a file, a folder, a URI, - for standard input, or --repo-type with its parameters");
  if (targets.some((t) => t.trim() === ""))
    throw new ModelwardError("MW_USAGE", "empty target: give a file, a folder, a URI, or - for standard input");
  if (targets.filter((t) => t === "-").length > 1) throw new ModelwardError("MW_USAGE", "standard input (-) can be scanned only once");
}

/** Pairs `--format`/`--output` by position, or uses the config's reporters. */
function planOutputs(config: ResolvedConfig, args: ScanArgs): OutputPlan[] {
  let plans: OutputPlan[];
  if (args.format?.length) {
    if ((args.output?.length ?? 0) > args.format.length)
      throw new ModelwardError("MW_USAGE", "more --output than --format options: give each --output after its --format");
    plans = args.format.map((reporter, i) => {
      const file = args.output?.[i];
      return { reporter, options: {}, ...(file !== undefined && file !== "-" ? { file } : {}) };
    });
  } else {
    if (args.output?.length) throw new ModelwardError("MW_USAGE", "--output needs a --format before it");
    const entries: [string, Record<string, unknown>][] = config.reporterEntries.length ? config.reporterEntries : [["console", {}]];
    plans = entries.map(([reporter, options]) => {
      const file = typeof options.output === "string" ? options.output : undefined;
      return { reporter, options, ...(file !== undefined ? { file } : {}) };
    });
  }
  if (args.quiet) plans = plans.filter((p) => p.file !== undefined);
  if (plans.filter((p) => p.file === undefined).length > 1)
    throw new ModelwardError("MW_USAGE", "only one format can go to standard output: give the others an --output file");
  return plans;
}

/** Applies `--analyzer` (run only these) and `--disable-analyzer`. */
function selectAnalyzers(config: ResolvedConfig, only?: string[], disable?: string[]): void {
  const all = [...config.analyzers, ...config.disabledAnalyzers];
  const known = (id: string) => all.some((a) => a.analyzer.id === id || a.qualifiedId === id);
  for (const id of [...(only ?? []), ...(disable ?? [])])
    if (!known(id))
      throw new ModelwardError(
        "MW_USAGE",
        `unknown analyzer "${id}".${didYouMean(id, all.map((a) => a.analyzer.id))} Available: ${all.map((a) => a.analyzer.id).join(", ")}`,
      );
  const is = (ids: string[] | undefined, a: (typeof all)[number]) => ids?.some((id) => id === a.analyzer.id || id === a.qualifiedId) ?? false;
  if (only?.length) {
    config.analyzers = all.filter((a) => is(only, a));
    config.disabledAnalyzers = all.filter((a) => !is(only, a));
  }
  if (disable?.length) {
    config.disabledAnalyzers.push(...config.analyzers.filter((a) => is(disable, a)));
    config.analyzers = config.analyzers.filter((a) => !is(disable, a));
  }
}

/** A numeric option as typed, checked: `--concurrency abc` is a usage error that quotes what was given. */
function parseNumberOption(flag: string, raw: string | number, rule: { integer: boolean; what: string }): number {
  const text = String(raw).trim();
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(value > 0) || (rule.integer && !Number.isInteger(value)) || !Number.isFinite(value))
    throw new ModelwardError("MW_USAGE", `${flag} must be ${rule.what}; got "${text}"`);
  return value;
}
