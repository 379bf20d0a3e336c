import { emptyManifest, type DeclaredDependency, type IndexDirective, type ParsedManifest } from "./declared-dependency.js";
import { parseRequirement } from "./pep508.js";

/** A logical line of a requirements file: continuations joined, comment removed. */
interface LogicalLine {
  text: string;
  line: number;
}

/**
 * pip's reading order: join `\` continuations first, then drop comments
 * (`#` at the start or after whitespace). https://pip.pypa.io/en/stable/reference/requirements-file-format/
 */
export function logicalLines(text: string): LogicalLine[] {
  const physical = text.split(/\r\n|\n|\r/);
  const out: LogicalLine[] = [];
  let buffer = "";
  let start = 0;
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i]!;
    if (buffer === "") start = i + 1;
    if (raw.endsWith("\\") && !/(^|\s)#/.test(raw)) {
      buffer += raw.slice(0, -1);
      continue;
    }
    buffer += raw;
    const noComment = buffer.replace(/(^|\s)#.*$/, "").trim();
    if (noComment) out.push({ text: noComment, line: start });
    buffer = "";
  }
  if (buffer.trim()) out.push({ text: buffer.replace(/(^|\s)#.*$/, "").trim(), line: start });
  return out.filter((l) => l.text !== "");
}

const VALUE_OPTIONS: Record<string, string> = {
  "-r": "requirement", "--requirement": "requirement",
  "-c": "constraint", "--constraint": "constraint",
  "-e": "editable", "--editable": "editable",
  "-i": "index-url", "--index-url": "index-url",
  "--extra-index-url": "extra-index-url",
  "-f": "find-links", "--find-links": "find-links",
  "--trusted-host": "trusted-host",
  "--no-binary": "ignored", "--only-binary": "ignored", "--use-feature": "ignored", "--config-settings": "ignored",
  "--global-option": "ignored",
};
const FLAG_OPTIONS = new Set(["--no-index", "--pre", "--prefer-binary", "--require-hashes", "--no-deps", "--upgrade", "-U", "--user"]);

/** Splits `-rfile`, `--requirement=file`, `--requirement file` into option and value. */
function splitOption(text: string): { option: string; value: string } | undefined {
  const long = /^(--[a-z-]+)(?:=|\s+)(.*)$/.exec(text);
  if (long && VALUE_OPTIONS[long[1]!]) return { option: long[1]!, value: long[2]!.trim() };
  const short = /^(-[a-zA-Z])\s*(.*)$/.exec(text);
  if (short && VALUE_OPTIONS[short[1]!]) return { option: short[1]!, value: short[2]!.trim() };
  return undefined;
}

/** Splits a requirement from its trailing per-requirement options (`--hash=…`). */
function splitRequirementOptions(text: string): { spec: string; hashes: string[]; unknown: string[] } {
  const at = /\s--?[a-zA-Z]/.exec(text);
  if (!at) return { spec: text, hashes: [], unknown: [] };
  const spec = text.slice(0, at.index).trim();
  const hashes: string[] = [];
  const unknown: string[] = [];
  const tokens = text.slice(at.index).trim().split(/\s+/);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const hash = /^--hash(?:=(.*))?$/.exec(t);
    if (hash) {
      const value = hash[1] ?? tokens[++i];
      if (value) hashes.push(value);
    } else if (/^--(config-settings|global-option|install-option)(=|$)/.test(t)) {
      if (!t.includes("=")) i++;
    } else unknown.push(t);
  }
  return { spec, hashes, unknown };
}

/**
 * Parses a pip requirements file: requirements (PEP 508, URLs, VCS, paths,
 * editables) with hashes and markers, `-r`/`-c` includes, and index options.
 * Lines it cannot read are problems, never dropped in silence.
 */
export function parseRequirementsFile(text: string): ParsedManifest {
  const manifest = emptyManifest();
  for (const { text: entry, line } of logicalLines(text)) {
    if (entry.startsWith("-")) {
      if (FLAG_OPTIONS.has(entry.split(/\s/)[0]!)) continue;
      const opt = splitOption(entry);
      if (!opt || !opt.value) {
        manifest.problems.push({ line, message: `unknown or incomplete option "${entry.slice(0, 80)}"` });
        continue;
      }
      const kind = VALUE_OPTIONS[opt.option]!;
      if (kind === "requirement" || kind === "constraint") manifest.includes.push({ kind, path: opt.value, line });
      else if (kind === "index-url" || kind === "extra-index-url" || kind === "find-links" || kind === "trusted-host") {
        manifest.indexes.push({ kind: kind as IndexDirective["kind"], value: opt.value, line });
      } else if (kind === "editable") {
        // `-e .` / `-e ./pkg` installs the project's own code, not a third-party package.
        if (/^(?:\.{1,2}|\.{1,2}\/.*|\/.*)$/.test(opt.value) && !/[#&]egg=/.test(opt.value)) continue;
        addRequirement(manifest, opt.value, line, []);
      }
      continue;
    }
    const { spec, hashes, unknown } = splitRequirementOptions(entry);
    if (unknown.length > 0) manifest.problems.push({ line, message: `unknown requirement option "${unknown[0]!.slice(0, 60)}"` });
    addRequirement(manifest, spec, line, hashes);
  }
  return manifest;
}

function addRequirement(manifest: ParsedManifest, spec: string, line: number, hashes: string[]): void {
  const parsed = parseRequirement(spec);
  if (!parsed.ok) {
    manifest.problems.push({ line, message: parsed.error });
    return;
  }
  const dep: DeclaredDependency = { ...parsed.value, hashes, line, ecosystem: "pypi" };
  // A pinned archive URL with --hash is as immutable as a hashed index requirement.
  if (dep.direct && dep.direct.kind === "url" && hashes.length > 0) dep.direct = { ...dep.direct, immutable: true };
  manifest.dependencies.push(dep);
}

/**
 * Whether a `.txt` file reads as a requirements file: at least one
 * requirement, and every logical line a requirement or a pip option.
 * Used on the head bytes only, so the last line may be cut.
 */
export function looksLikeRequirements(text: string): boolean {
  const lines = logicalLines(text);
  if (lines.length === 0) return false;
  const complete = text.endsWith("\n") ? lines : lines.slice(0, -1);
  if (complete.length === 0) return false;
  let requirements = 0;
  let shaped = 0;
  for (const { text: entry } of complete) {
    if (entry.startsWith("-")) {
      if (!FLAG_OPTIONS.has(entry.split(/\s/)[0]!) && !splitOption(entry)) return false;
      shaped++;
      continue;
    }
    const { spec } = splitRequirementOptions(entry);
    if (!parseRequirement(spec).ok) return false;
    // Prose ("hello world") is not a requirement list: a bare word line is accepted only with a version or known shape.
    if (/\s/.test(spec) && !/[<>=!~@;\[]/.test(spec)) return false;
    requirements++;
    if (/[<>=!~@;]/.test(spec)) shaped++;
  }
  // A list of bare words (a vocabulary, a word list) is not a requirements file: one line must look like one.
  return requirements > 0 && shaped > 0;
}
