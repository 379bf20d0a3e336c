import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const run = promisify(execFile);

let validateSchema: ((data: unknown) => boolean) & { errors?: unknown } | undefined;

/**
 * Validates a SARIF log against the official 2.1.0 JSON schema (rtm.5, from
 * @microsoft/jest-sarif) and returns the ajv errors, empty when valid.
 */
export function schemaErrors(log: unknown): unknown[] {
  if (!validateSchema) {
    const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    // unicodeRegExp:false: the schema's `language` pattern is not a valid unicode-mode regex.
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validateSchema = ajv.compile(schema);
  }
  return validateSchema(log) ? [] : ((validateSchema.errors as unknown[]) ?? ["invalid"]);
}

/** One result of `sarif-multitool validate`. */
export interface MultitoolIssue {
  /** The multitool's rule (`JSON1002`, `SARIF2017`…). */
  ruleId: string;
  /** `error`, `warning` or `note`. */
  level: string;
  /** The message text, or its id and arguments. */
  message: string;
}

/**
 * Runs `sarif-multitool validate` on `text` and returns every result it
 * reports. The tool exits 0 even for invalid files, so its own SARIF output is
 * parsed instead of trusting the exit code.
 */
export async function multitoolIssues(text: string): Promise<MultitoolIssue[]> {
  const binary: string = require("@microsoft/sarif-multitool");
  const dir = await mkdtemp(join(tmpdir(), "mw-sarif-"));
  try {
    const input = join(dir, "report.sarif");
    const output = join(dir, "validation.sarif");
    await writeFile(input, text);
    await run(binary, ["validate", input, "-o", output, "--log", "ForceOverwrite"], {
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1", DOTNET_NOLOGO: "1" },
    });
    const log = JSON.parse(await readFile(output, "utf8")) as {
      runs: { results?: { ruleId: string; level?: string; message: { text?: string; id?: string; arguments?: string[] } }[] }[];
    };
    return (log.runs[0]?.results ?? []).map((r) => ({
      ruleId: r.ruleId,
      // SARIF's default level for a result without one is "warning".
      level: r.level ?? "warning",
      message: r.message.text ?? `${r.message.id ?? ""} ${(r.message.arguments ?? []).join(" | ")}`,
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
