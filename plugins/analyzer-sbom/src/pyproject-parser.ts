import { parse as parseToml } from "smol-toml";
import { emptyManifest, type DeclaredDependency, type ParsedManifest } from "./declared-dependency.js";
import { parseDirectReference } from "./direct-reference.js";
import { parseRequirement } from "./pep508.js";
import { poetryDependency } from "./poetry-dependency.js";
import { SourceLines } from "./source-lines.js";

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Parses TOML, turning a syntax error into a problem (with its line when the parser gives one). */
export function readToml(text: string, manifest: ParsedManifest): Table | undefined {
  try {
    return parseToml(text) as Table;
  } catch (error) {
    const e = error as { message?: string; line?: number };
    manifest.problems.push({ ...(typeof e.line === "number" ? { line: e.line } : {}), message: `invalid TOML: ${(e.message ?? String(error)).split("\n")[0]}` });
    return undefined;
  }
}

/** Adds PEP 508 strings of an array (PEP 621 dependencies, PEP 735 groups, uv dev-dependencies). */
export function addPep508List(manifest: ParsedManifest, list: unknown, where: string, lines: SourceLines, from: number, group?: string): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    manifest.problems.push({ line: from, message: `${where} is not an array` });
    return;
  }
  for (const item of list) {
    if (isTable(item) && typeof item["include-group"] === "string") continue; // PEP 735 include: its own group is read too
    if (typeof item !== "string") {
      manifest.problems.push({ line: from, message: `${where} holds a non-string entry` });
      continue;
    }
    const line = lines.quoted(item, from);
    const parsed = parseRequirement(item);
    if (!parsed.ok) manifest.problems.push({ line, message: parsed.error });
    else manifest.dependencies.push({ ...parsed.value, hashes: [], line, ecosystem: "pypi", ...(group ? { group } : {}) });
  }
}

function addPoetryTable(manifest: ParsedManifest, table: unknown, header: string, lines: SourceLines, group?: string): void {
  if (table === undefined) return;
  const from = lines.section(header);
  if (!isTable(table)) {
    manifest.problems.push({ line: from, message: `[${header}] is not a table` });
    return;
  }
  for (const [name, spec] of Object.entries(table)) {
    if (name.toLowerCase() === "python") continue; // the interpreter constraint, not a package
    const line = lines.key(name, from);
    const dep = poetryDependency(name, spec, line, group);
    if ("error" in dep) manifest.problems.push({ line, message: dep.error });
    else manifest.dependencies.push(dep);
  }
}

/**
 * `pyproject.toml`: PEP 621 `[project]` dependencies and optional
 * dependencies, PEP 735 `[dependency-groups]`, PEP 518 build requirements,
 * Poetry's `[tool.poetry.*dependencies]` and sources, uv's dev-dependencies,
 * sources and indexes.
 */
export function parsePyproject(text: string): ParsedManifest {
  const manifest = emptyManifest();
  const doc = readToml(text, manifest);
  if (!doc) return manifest;
  const lines = new SourceLines(text);

  const project = isTable(doc.project) ? doc.project : undefined;
  if (project) {
    const from = lines.section("project");
    addPep508List(manifest, project.dependencies, "project.dependencies", lines, from);
    const optional = project["optional-dependencies"];
    if (isTable(optional)) {
      const start = lines.section("project.optional-dependencies");
      for (const [extra, list] of Object.entries(optional)) addPep508List(manifest, list, `project.optional-dependencies.${extra}`, lines, lines.key(extra, start), extra);
    }
  }
  const groups = doc["dependency-groups"];
  if (isTable(groups)) {
    const start = lines.section("dependency-groups");
    for (const [group, list] of Object.entries(groups)) addPep508List(manifest, list, `dependency-groups.${group}`, lines, lines.key(group, start), group);
  }
  const build = isTable(doc["build-system"]) ? doc["build-system"] : undefined;
  if (build) addPep508List(manifest, build.requires, "build-system.requires", lines, lines.section("build-system"), "build");

  const tool = isTable(doc.tool) ? doc.tool : {};
  const poetry = isTable(tool.poetry) ? tool.poetry : undefined;
  if (poetry) {
    addPoetryTable(manifest, poetry.dependencies, "tool.poetry.dependencies", lines);
    addPoetryTable(manifest, poetry["dev-dependencies"], "tool.poetry.dev-dependencies", lines, "dev");
    if (isTable(poetry.group)) {
      for (const [group, body] of Object.entries(poetry.group)) {
        if (isTable(body)) addPoetryTable(manifest, body.dependencies, `tool.poetry.group.${group}.dependencies`, lines, group);
      }
    }
    if (Array.isArray(poetry.source)) {
      const start = lines.section("tool.poetry.source");
      for (const source of poetry.source) {
        if (!isTable(source) || typeof source.url !== "string") continue;
        // Poetry's "supplemental"/"explicit" sources are searched for named packages only; a default/primary one replaces PyPI.
        const priority = typeof source.priority === "string" ? source.priority : "primary";
        if (priority === "explicit") continue;
        manifest.indexes.push({ kind: priority === "supplemental" ? "extra-index-url" : "index-url", value: source.url, line: lines.quoted(source.url, start) });
      }
    }
  }
  const uv = isTable(tool.uv) ? tool.uv : undefined;
  if (uv) {
    addPep508List(manifest, uv["dev-dependencies"], "tool.uv.dev-dependencies", lines, lines.section("tool.uv"), "dev");
    if (Array.isArray(uv.index)) {
      for (const index of uv.index) {
        if (!isTable(index) || typeof index.url !== "string") continue;
        // uv searches indexes in order and stops at the first that has the name ("first-index"), unless explicit.
        if (index.explicit === true) continue;
        manifest.indexes.push({ kind: index.default === true ? "index-url" : "extra-index-url", value: index.url, line: lines.quoted(index.url, lines.section("tool.uv.index")) });
      }
    }
    if (isTable(uv.sources)) applyUvSources(manifest, uv.sources, lines);
  }
  return manifest;
}

/** `[tool.uv.sources]` turns declared names into git/url/path references. */
function applyUvSources(manifest: ParsedManifest, sources: Table, lines: SourceLines): void {
  const start = lines.section("tool.uv.sources");
  for (const [name, source] of Object.entries(sources)) {
    const entries = Array.isArray(source) ? source : [source];
    for (const entry of entries) {
      if (!isTable(entry)) continue;
      let direct: DeclaredDependency["direct"];
      if (typeof entry.git === "string") {
        const revision = [entry.rev, entry.tag, entry.branch].find((v): v is string => typeof v === "string");
        direct = { ...parseDirectReference(`git+${entry.git}${revision ? `@${revision}` : ""}`), url: entry.git };
      } else if (typeof entry.url === "string") direct = parseDirectReference(entry.url);
      else if (typeof entry.path === "string") direct = { kind: "path", url: entry.path, immutable: false };
      if (!direct) continue;
      const normalized = name.toLowerCase().replace(/[-_.]+/g, "-");
      const targets = manifest.dependencies.filter((d) => d.name.toLowerCase().replace(/[-_.]+/g, "-") === normalized);
      for (const dep of targets) dep.direct = direct;
      if (targets.length === 0) manifest.dependencies.push({ name, extras: [], direct, hashes: [], line: lines.key(name, start), ecosystem: "pypi" });
    }
  }
}
