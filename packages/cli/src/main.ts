import { ModelwardError, SEVERITIES, describeError } from "@modelward/core";
import yargs from "yargs";
import { configPrintCommand } from "./commands/config-print.js";
import { pluginsListCommand } from "./commands/plugins.js";
import { rulesListCommand } from "./commands/rules.js";
import { scanCommand, type ScanArgs } from "./commands/scan.js";
import { sourceParamsFromArgs, withSourceFlags } from "./source-flags.js";
import { EXIT, processIO, type CliIO } from "./io.js";
import { VERSION } from "./version.js";

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the
 * exit code: 0 clean, 1 findings at or above fail-on or an incomplete
 * analysis, 2 usage, config or target errors. Never calls process.exit.
 */
export async function runCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  let code: number = EXIT.clean;
  let usageError = false;
  // Handlers only record the command: it runs after yargs has finished validating (strict mode
  // reports unknown options after calling handlers), so a mistyped option never runs a scan.
  let pending: (() => Promise<number>) | undefined;
  const run = (task: () => Promise<number>) => {
    pending = task;
  };
  // yargs drops a bare "-" (standard input, or stdout for --output): carry it through as a token
  // that no real argument can spell (argv strings cannot contain NUL), and restore it after parsing.
  const args = argv.map((a) => (a === "-" ? DASH : a));
  const parser = yargs(args)
    .scriptName("modelward")
    .version(VERSION)
    .usage("$0 <command> [options]\n\nScan ML artifacts for supply-chain risk without loading them.")
    .option("config", { alias: "c", type: "string", describe: "Config file (default: modelward.config.json/.mjs found from the working directory)" })
    .command(
      "scan [targets..]",
      "Scan files, folders or URIs",
      (y) =>
        withSourceFlags(y)
          .positional("targets", { type: "string", array: true, describe: "Paths (files or folders), URIs (hf://, s3://, git+https://, https://github.com/…) or - to scan" })
          .option("format", { alias: "f", type: "string", array: true, describe: "Output format: json, sarif, cyclonedx, console (repeatable)" })
          .option("output", { alias: "o", type: "string", array: true, describe: "File for the preceding --format (repeatable; - for stdout)" })
          .option("fail-on", { type: "string", choices: [...SEVERITIES, "none"], describe: "Exit 1 when a finding is at or above this severity (default high)" })
          .option("fail-on-incomplete", { type: "boolean", describe: "Exit 1 when an analysis did not finish (default true; --no-fail-on-incomplete to opt out)" })
          .option("analyzer", { type: "string", array: true, describe: "Run only these analyzers (repeatable)" })
          .option("disable-analyzer", { type: "string", array: true, describe: "Do not run these analyzers (repeatable)" })
          .option("ignore", { type: "string", array: true, describe: "Glob of root-relative paths not to scan (repeatable)" })
          .option("hashes", { type: "boolean", describe: "Compute SHA-256 of every file" })
          .option("timeout", { type: "number", describe: "Whole-scan deadline in seconds: unfinished work is reported incomplete (exit 1)" })
          .option("concurrency", { type: "number", describe: "Files analyzed at once (default 4)" })
          .option("quiet", { alias: "q", type: "boolean", describe: "Write nothing to stdout; only report files and the exit code" })
          .option("verbose", { type: "boolean", describe: "Console: also list clean files, info findings and every skipped file" })
          .option("color", { type: "boolean", describe: "Force colour on or off (default: on for a terminal; NO_COLOR honoured)" })
          .option("progress", { type: "boolean", describe: "Show progress on stderr (default: when stderr is a terminal)" })
          .example("$0 scan ./models", "Scan a folder, print a summary")
          .example("$0 scan model.pt -f sarif -o modelward.sarif -f console", "SARIF to a file and a summary to the terminal")
          .example("$0 scan ./models --fail-on medium -f json", "JSON on stdout, fail on medium and above")
          .example("$0 scan hf://org/model@main", "A Hugging Face repository at a revision, read by HTTP ranges")
          .example("$0 scan https://github.com/org/repo --branch dev", "The latest commit of a Git branch")
          .strict(),
      (a) =>
        run(() =>
          scanCommand(
            {
              targets: undash((a.targets as string[] | undefined) ?? []),
              sourceParams: sourceParamsFromArgs(a),
              ...(a.output ? { output: undash(a.output as string[]) } : {}),
              ...pick(a, ["config", "format", "timeout", "failOn", "failOnIncomplete", "analyzer", "disableAnalyzer", "ignore", "hashes", "concurrency", "quiet", "verbose", "color", "progress"]),
            } as ScanArgs,
            io,
          ),
        ),
    )
    .command("rules <action>", "Rules of the loaded plugins and rulesets", (y) =>
      y
        .positional("action", { choices: ["list"] as const, demandOption: true })
        .option("format", { alias: "f", choices: ["table", "json", "markdown"] as const, default: "table" as const })
        .strict(),
      (a) => run(() => rulesListCommand({ ...pick(a, ["config"]), format: a.format }, io)),
    )
    .command("plugins <action>", "Plugins the config composes", (y) =>
      y
        .positional("action", { choices: ["list"] as const, demandOption: true })
        .option("format", { alias: "f", choices: ["table", "json"] as const, default: "table" as const })
        .strict(),
      (a) => run(() => pluginsListCommand({ ...pick(a, ["config"]), format: a.format }, io)),
    )
    .command("config <action>", "The resolved configuration", (y) => y.positional("action", { choices: ["print"] as const, demandOption: true }).strict(),
      (a) => run(() => configPrintCommand(pick(a, ["config"]), io)),
    )
    .demandCommand(1, "Give a command: scan, rules, plugins or config")
    .strict()
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      usageError = true;
      code = EXIT.error;
      io.stderr.write(`modelward: ${msg ?? describeError(err)}\nRun "modelward --help" for usage.\n`);
    });
  try {
    const out: string[] = [];
    await parser.parseAsync(args, {}, (_err, _argv, output) => {
      if (output) out.push(output);
    });
    if (out.length) io.stdout.write(out.join("\n") + "\n");
  } catch (error) {
    code = EXIT.error;
    io.stderr.write(`modelward: ${describeError(error)}\n`);
  }
  if (pending && !usageError) {
    try {
      code = await pending();
    } catch (error) {
      code = EXIT.error;
      const message = ModelwardError.isInstance(error) ? `${error.message} [${error.code}]` : `internal error: ${describeError(error)}`;
      io.stderr.write(`modelward: ${message}\n`);
      if (!ModelwardError.isInstance(error) && io.env.MODELWARD_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    }
  }
  return code;
}

const DASH = "\u0000-";
const undash = (values: string[]) => values.map((v) => (v === DASH ? "-" : v));

function pick<T extends Record<string, unknown>>(a: T, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => a[k] !== undefined).map((k) => [k, a[k]]));
}
