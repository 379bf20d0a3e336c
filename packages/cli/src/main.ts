import { ModelwardError, closestMatch, describeError } from "@modelward/core";
import { createRequire } from "node:module";
import type yargsFactory from "yargs";
import type { ScanArgs } from "./commands/scan.js";
import { SOURCE_FLAG_NAMES, sourceParamsFromArgs, withSourceFlags } from "./source-flags.js";
import { EXIT, processIO, type CliIO } from "./io.js";
import { EXIT_CODES_HELP, GLOBAL_OPTIONS, KNOWN_OPTION_NAMES, SCAN_OPTIONS } from "./scan-options.js";
import { VERSION } from "./version.js";

// yargs' CommonJS build, on purpose: its ESM build wraps help text with a naive splitter that
// cuts words in half ("(repe" / "atable)"); the CommonJS one wraps at word boundaries.
const yargs = createRequire(import.meta.url)("yargs") as typeof yargsFactory;

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the
 * exit code: 0 clean, 1 findings at or above fail-on or an incomplete
 * analysis, 2 usage, config or target errors. Never calls process.exit.
 */
export async function runCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  let code: number = EXIT.clean;
  let usageError = false;
  // yargs may fail twice for one mistake ("Did you mean scan?", then "Unknown arguments: scna"): said once.
  const failures: string[] = [];
  // Each command's module (and its dependencies: the engine, the scan service) is imported only
  // when that command runs: start-up pays for yargs and the option tables, nothing else.
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
    .options(GLOBAL_OPTIONS)
    .command(
      "scan [targets..]",
      "Scan files, folders, URIs, or - (standard input)",
      (y) =>
        withSourceFlags(y)
          .positional("targets", { type: "string", array: true, describe: "Paths, URIs (hf://, s3://, git+https://, https://github.com/…) or - (standard input)" })
          .options(SCAN_OPTIONS)
          .example("$0 scan ./models", "Scan a folder, print a summary")
          .example("$0 scan m.pt -f sarif -o m.sarif -f console", "SARIF to a file, a summary on the terminal")
          .example("$0 scan ./models --fail-on medium -f json", "JSON on stdout, fail on medium and above")
          .example("$0 scan hf://org/model@main", "A Hugging Face repository at a revision, read by HTTP ranges")
          .example("$0 scan https://github.com/org/repo --branch dev", "The latest commit of a Git branch")
          .epilog(EXIT_CODES_HELP)
          .strict(),
      (a) =>
        run(() =>
          import("./commands/scan.js").then(({ scanCommand }) => scanCommand(
            {
              targets: undash((a.targets as string[] | undefined) ?? []),
              sourceParams: sourceParamsFromArgs(a),
              ...(a.output ? { output: undash(a.output as string[]) } : {}),
              ...pick(a, ["config", "format", "timeout", "failOn", "failOnIncomplete", "severity", "analyzer", "disableAnalyzer", "ignore", "hashes", "concurrency", "quiet", "verbose", "color", "progress"]),
            } as ScanArgs,
            io,
          )),
        ),
    )
    .command("rules <action>", "Rules of the loaded plugins and rulesets", (y) =>
      y
        .positional("action", { choices: ["list"] as const, demandOption: true })
        .option("format", { alias: "f", choices: ["table", "json", "markdown"] as const, default: "table" as const })
        .strict(),
      (a) => run(async () => (await import("./commands/rules.js")).rulesListCommand({ ...pick(a, ["config"]), format: a.format }, io)),
    )
    .command("plugins <action>", "Plugins the config composes", (y) =>
      y
        .positional("action", { choices: ["list"] as const, demandOption: true })
        .option("format", { alias: "f", choices: ["table", "json"] as const, default: "table" as const })
        .strict(),
      (a) => run(async () => (await import("./commands/plugins.js")).pluginsListCommand({ ...pick(a, ["config"]), format: a.format }, io)),
    )
    .command("config <action>", "The resolved configuration", (y) => y.positional("action", { choices: ["print"] as const, demandOption: true }).strict(),
      (a) => run(async () => (await import("./commands/config-print.js")).configPrintCommand(pick(a, ["config"]), io)),
    )
    .command("serve", "Run the scan service: HTTP API (/v1) and a worker", (y) =>
      y
        .command("keys <action>", "API keys of the service", (k) =>
          k
            .positional("action", { choices: ["create"] as const, demandOption: true })
            .option("project", { type: "string", demandOption: true, describe: "Project the key may act on (created when missing)" })
            .option("name", { type: "string", describe: "A label for the key" })
            .option("data-dir", { type: "string", describe: "Folder of the embedded store" })
            .option("database", { type: "string", describe: "postgres://… URL of a shared store" })
            .strict(),
          (a) => run(async () => (await import("./commands/serve.js")).keysCreateCommand(pick(a, ["dataDir", "database", "config", "project", "name"]) as never, io)),
        )
        .option("data-dir", { type: "string", describe: "Folder of the embedded store (PGlite) and the server key" })
        .option("database", { type: "string", describe: "postgres://… URL: a shared PostgreSQL store instead" })
        .option("port", { type: "number", default: 8080, describe: "Port to listen on (0: any free port)" })
        .option("host", { type: "string", default: "127.0.0.1", describe: "Address to listen on" })
        .option("workers", { type: "number", default: 1, describe: "Scans run at once by the in-process worker" })
        .option("api-only", { type: "boolean", describe: "No in-process worker: scans run in `modelward worker` processes" })
        .option("max-upload-mb", { type: "number", describe: "Largest uploaded file (default 2048)" })
        .option("retain-uploads", { type: "boolean", describe: "Keep uploaded files after a scan (default: deleted)" })
        .option("allow-private-networks", { type: "boolean", describe: "Let remote sources reach loopback, link-local and private addresses" })
        .option("lease-seconds", { type: "number", describe: "How long a job stays claimed without a heartbeat (default 30)" })
        .option("memory-budget-mb", { type: "number", describe: "Memory one scan may use: a job asking more (ram_request_megabytes) fails with the reason" })
        .option("console", { type: "boolean", default: true, describe: "Serve the web console at / (--no-console: the API only)" })
        .strict(),
      (a) => run(async () => (await import("./commands/serve.js")).serveCommand(pick(a, ["dataDir", "database", "config", "port", "host", "workers", "apiOnly", "maxUploadMb", "retainUploads", "allowPrivateNetworks", "leaseSeconds", "memoryBudgetMb", "console"]) as never, io)),
    )
    .command("worker", "Run scan workers on a shared PostgreSQL store", (y) =>
      y
        .option("database", { type: "string", demandOption: true, describe: "postgres://… URL of the shared store" })
        .option("workers", { type: "number", default: 1, describe: "Scans run at once" })
        .option("retain-uploads", { type: "boolean", describe: "Keep uploaded files after a scan" })
        .option("allow-private-networks", { type: "boolean", describe: "Let remote sources reach loopback, link-local and private addresses" })
        .option("lease-seconds", { type: "number", describe: "How long a job stays claimed without a heartbeat (default 30)" })
        .option("memory-budget-mb", { type: "number", describe: "Memory one scan may use: a job asking more (ram_request_megabytes) fails with the reason" })
        .strict(),
      (a) => run(async () => (await import("./commands/serve.js")).workerCommand(pick(a, ["database", "config", "workers", "retainUploads", "allowPrivateNetworks", "leaseSeconds", "memoryBudgetMb"]) as never, io)),
    )
    .command("remote <action> [paths..]", "Use a scan service: remote scan <files or folders>", (y) =>
      y
        .positional("action", { choices: ["scan"] as const, demandOption: true })
        .positional("paths", { type: "string", array: true, describe: "Files or folders to upload and scan" })
        .option("url", { type: "string", demandOption: true, describe: "The service, e.g. http://127.0.0.1:8080" })
        .option("api-key", { type: "string", describe: "API key (default: MODELWARD_API_KEY)" })
        .option("model", { type: "string", describe: "Scan this registered model instead of uploading files" })
        .option("name", { type: "string", describe: "Name of the model to register (default: the first path's name)" })
        .option("format", { alias: "f", choices: ["json", "sarif", "cyclonedx"] as const, describe: "Print the full report in this format" })
        .option("timeout", { type: "number", describe: "Whole-scan deadline in seconds" })
        .strict(),
      (a) => run(async () => (await import("./commands/remote-scan.js")).remoteScanCommand({ paths: (a.paths as string[] | undefined) ?? [], ...pick(a, ["url", "apiKey", "model", "name", "format", "timeout"]) } as never, io)),
    )
    .demandCommand(1, "Give a command: scan, rules, plugins, config, serve, worker or remote")
    .recommendCommands()
    .epilog(EXIT_CODES_HELP)
    .strict()
    .help()
    // The terminal's width (80 when not a terminal), at most 100: wider lines are hard to read.
    .wrap(helpWidth(io))
    .exitProcess(false)
    .fail((msg, err) => {
      usageError = true;
      code = EXIT.error;
      failures.push(withSuggestions(msg ?? describeError(err)));
    });
  try {
    const out: string[] = [];
    await parser.parseAsync(args, {}, (_err, _argv, output) => {
      if (output) out.push(output);
    });
    if (out.length) io.stdout.write(out.join("\n") + "\n");
    if (failures.length) {
      const ordered = [...failures.filter((f) => !f.startsWith("Did you mean")), ...failures.filter((f) => f.startsWith("Did you mean"))];
      io.stderr.write(`modelward: ${ordered.join(" ")}\nRun "modelward --help" for usage.\n`);
    }
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

/** Help text width: the terminal's columns (80 off a terminal), capped at 100. */
function helpWidth(io: CliIO): number {
  const columns = io.stdout.columns;
  return Math.min(100, columns && columns > 20 ? columns : 80);
}

/** yargs' "Unknown argument(s): a, b" with a "did you mean" for each option close to a real one. */
function withSuggestions(message: string): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (!unknown) return message;
  const hints = unknown[1]!
    .split(", ")
    .map((name) => [name, closestMatch(name, [...KNOWN_OPTION_NAMES, ...SOURCE_FLAG_NAMES])] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([name, match]) => `${name.length > 1 ? "--" : "-"}${name}: did you mean ${match.length > 1 ? "--" : "-"}${match}?`);
  return hints.length ? `${message} (${hints.join("; ")})` : message;
}
