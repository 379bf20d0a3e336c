import { emptyManifest, type DeclaredDependency, type ParsedManifest } from "./declared-dependency.js";
import { isFullCommit, parseDirectReference } from "./direct-reference.js";
import { readToml } from "./pyproject-parser.js";
import { SourceLines } from "./source-lines.js";

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);

/** Lock entries' lines: the `name = "x"` line after the n-th `[[package]]` header. */
function packageLines(text: string): number[] {
  const out: number[] = [];
  text.split(/\r\n|\n|\r/).forEach((l, i) => {
    if (/^\s*\[\[package\]\]\s*$/.test(l)) out.push(i + 1);
  });
  return out;
}

function lockEntry(pkg: Table, line: number): DeclaredDependency | undefined {
  if (typeof pkg.name !== "string") return undefined;
  const dep: DeclaredDependency = { name: pkg.name, extras: [], hashes: [], line, ecosystem: "pypi" };
  if (typeof pkg.version === "string") {
    dep.version = pkg.version;
    dep.specifier = `==${pkg.version}`;
  }
  return dep;
}

/** `poetry.lock`: `[[package]]` with `name`, `version`, optional `[package.source]` (git/url/legacy index). */
export function parsePoetryLock(text: string): ParsedManifest {
  const manifest = emptyManifest(true);
  const doc = readToml(text, manifest);
  if (!doc) return manifest;
  const starts = packageLines(text);
  const packages = Array.isArray(doc.package) ? doc.package : [];
  packages.forEach((pkg, i) => {
    if (!isTable(pkg)) return;
    const dep = lockEntry(pkg, starts[i] ?? 1);
    if (!dep) {
      manifest.problems.push({ line: starts[i], message: "lock entry without a name" });
      return;
    }
    if (Array.isArray(pkg.files)) for (const f of pkg.files) if (isTable(f) && typeof f.hash === "string") dep.hashes.push(f.hash);
    const source = pkg.source;
    if (isTable(source) && typeof source.url === "string") {
      if (source.type === "git") {
        const rev = typeof source.resolved_reference === "string" ? source.resolved_reference : typeof source.reference === "string" ? source.reference : undefined;
        dep.direct = { kind: "vcs", url: source.url, ...(rev ? { revision: rev } : {}), immutable: rev !== undefined && isFullCommit(rev) };
      } else if (source.type === "url") dep.direct = { ...parseDirectReference(source.url), immutable: dep.hashes.length > 0 };
      else if (source.type === "legacy") manifest.indexes.push({ kind: "extra-index-url", value: source.url, line: dep.line });
    }
    manifest.dependencies.push(dep);
  });
  return manifest;
}

/** `uv.lock`: `[[package]]` with `name`, `version`, `source = { registry | git | url | path | editable | virtual }`. */
export function parseUvLock(text: string): ParsedManifest {
  const manifest = emptyManifest(true);
  const doc = readToml(text, manifest);
  if (!doc) return manifest;
  const starts = packageLines(text);
  const packages = Array.isArray(doc.package) ? doc.package : [];
  const registries = new Set<string>();
  packages.forEach((pkg, i) => {
    if (!isTable(pkg)) return;
    const source = isTable(pkg.source) ? pkg.source : {};
    // The project itself (and workspace members) are `virtual`/`editable` sources: not third-party packages.
    if (typeof source.virtual === "string" || typeof source.editable === "string") return;
    const dep = lockEntry(pkg, starts[i] ?? 1);
    if (!dep) {
      manifest.problems.push({ line: starts[i], message: "lock entry without a name" });
      return;
    }
    for (const list of [pkg.wheels, [pkg.sdist]]) {
      if (Array.isArray(list)) for (const f of list) if (isTable(f) && typeof f.hash === "string") dep.hashes.push(f.hash);
    }
    if (typeof source.git === "string") {
      // uv writes the resolved commit as the URL fragment: `…?rev=main#<sha>`.
      const commit = source.git.split("#")[1];
      dep.direct = { kind: "vcs", url: source.git.split("#")[0]!, ...(commit ? { revision: commit } : {}), immutable: commit !== undefined && isFullCommit(commit) };
    } else if (typeof source.url === "string") dep.direct = { ...parseDirectReference(source.url), immutable: dep.hashes.length > 0 };
    else if (typeof source.path === "string") dep.direct = { kind: "path", url: source.path, immutable: false };
    else if (typeof source.registry === "string" && !registries.has(source.registry)) {
      registries.add(source.registry);
      if (!/^https:\/\/pypi\.org\/simple\/?$/.test(source.registry)) manifest.indexes.push({ kind: "extra-index-url", value: source.registry, line: dep.line });
    }
    manifest.dependencies.push(dep);
  });
  return manifest;
}

/** `Pipfile.lock` (JSON): `default` and `develop` maps of name → `{ version: "==x", hashes, markers, git, ref }`, `_meta.sources`. */
export function parsePipfileLock(text: string): ParsedManifest {
  const manifest = emptyManifest(true);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    manifest.problems.push({ message: `invalid JSON: ${(error as Error).message}` });
    return manifest;
  }
  if (!isTable(doc)) {
    manifest.problems.push({ message: "Pipfile.lock is not a JSON object" });
    return manifest;
  }
  const lines = new SourceLines(text);
  for (const [section, group] of [["default", undefined], ["develop", "dev"]] as const) {
    const table = doc[section];
    if (!isTable(table)) continue;
    const from = lines.quoted(section);
    for (const [name, entry] of Object.entries(table)) {
      if (!isTable(entry)) continue;
      const line = lines.quoted(name, from);
      const dep: DeclaredDependency = { name, extras: [], hashes: [], line, ecosystem: "pypi", ...(group ? { group } : {}) };
      if (typeof entry.version === "string") {
        dep.specifier = entry.version;
        const exact = /^===?(.+)$/.exec(entry.version)?.[1];
        if (exact) dep.version = exact;
      }
      if (Array.isArray(entry.hashes)) dep.hashes = entry.hashes.filter((h): h is string => typeof h === "string");
      if (typeof entry.markers === "string") dep.marker = entry.markers;
      if (typeof entry.git === "string") {
        const ref = typeof entry.ref === "string" ? entry.ref : undefined;
        dep.direct = { kind: "vcs", url: entry.git, ...(ref ? { revision: ref } : {}), immutable: ref !== undefined && isFullCommit(ref) };
      }
      manifest.dependencies.push(dep);
    }
  }
  const meta = isTable(doc._meta) ? doc._meta : {};
  if (Array.isArray(meta.sources)) {
    meta.sources.forEach((s, i) => {
      if (isTable(s) && typeof s.url === "string") manifest.indexes.push({ kind: i === 0 ? "index-url" : "extra-index-url", value: s.url, line: lines.quoted(s.url) });
    });
  }
  return manifest;
}
