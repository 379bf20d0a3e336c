import { SEVERITIES } from "@modelward/core";
import type { Options } from "yargs";

/**
 * The options of `modelward scan`, declared once: yargs reads them, and a
 * mistyped option is matched against their names for "did you mean".
 * Descriptions stay short so `--help` fits an 80-column terminal without
 * breaking a word. `--concurrency` and `--timeout` are read as text and
 * checked by the command, so `--concurrency abc` is answered with what was typed.
 */
export const SCAN_OPTIONS = {
  format: { alias: "f", type: "string", array: true, describe: "Output format: console, json, sarif, cyclonedx (repeatable)" },
  output: { alias: "o", type: "string", array: true, describe: "File for the preceding --format (- for stdout)" },
  "fail-on": { type: "string", choices: [...SEVERITIES, "none"], describe: "Exit 1 on a finding at or above this severity (default high)" },
  "fail-on-incomplete": { type: "boolean", describe: "Exit 1 when an analysis did not finish (on by default; opt out with --no-fail-on-incomplete)" },
  severity: { type: "string", choices: [...SEVERITIES], describe: "Show findings at or above this severity (default low; info also in SARIF when asked)" },
  analyzer: { type: "string", array: true, describe: "Run only these analyzers (repeatable)" },
  "disable-analyzer": { type: "string", array: true, describe: "Do not run these analyzers (repeatable)" },
  ignore: { type: "string", array: true, describe: "Glob of paths not to scan, relative to the working directory (repeatable)" },
  hashes: { type: "boolean", describe: "Compute the SHA-256 of every file" },
  timeout: { type: "string", describe: "Whole-scan deadline in seconds; unfinished work is reported incomplete" },
  concurrency: { type: "string", describe: "Files analysed at once (default 4)" },
  quiet: { alias: "q", type: "boolean", describe: "Nothing on stdout: report files and the exit code only" },
  verbose: { type: "boolean", describe: "Console: also clean files, skipped files and taxonomy ids" },
  color: { type: "boolean", describe: "Colour on or off (default: on a terminal; NO_COLOR honoured)" },
  progress: { type: "boolean", describe: "Progress on stderr (default: when stderr is a terminal)" },
} satisfies Record<string, Options>;

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  config: { alias: "c", type: "string", describe: "Config file (default: modelward.config.json or .mjs, searched upwards)" },
} satisfies Record<string, Options>;

/** Every option name and alias, for "did you mean". */
export const KNOWN_OPTION_NAMES: string[] = [
  "help",
  "version",
  "no-fail-on-incomplete",
  "no-color",
  "no-progress",
  ...Object.entries({ ...SCAN_OPTIONS, ...GLOBAL_OPTIONS }).flatMap(([name, o]) => [name, ...("alias" in o ? [o.alias] : [])]),
];

/** The exit codes, as `--help` lists them. */
export const EXIT_CODES_HELP = [
  "Exit codes:",
  "  0  no finding at or above --fail-on, every analysis finished",
  "  1  a finding at or above --fail-on, or an incomplete analysis",
  "  2  usage, configuration, target or output error; or nothing was analysed",
].join("\n");
