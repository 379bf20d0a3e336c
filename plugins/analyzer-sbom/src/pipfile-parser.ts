import { emptyManifest, type ParsedManifest } from "./declared-dependency.js";
import { poetryDependency } from "./poetry-dependency.js";
import { readToml } from "./pyproject-parser.js";
import { SourceLines } from "./source-lines.js";

/** Pipenv's `Pipfile`: `[packages]`, `[dev-packages]` and `[[source]]` indexes. */
export function parsePipfile(text: string): ParsedManifest {
  const manifest = emptyManifest();
  const doc = readToml(text, manifest);
  if (!doc) return manifest;
  const lines = new SourceLines(text);
  for (const [header, group] of [["packages", undefined], ["dev-packages", "dev"]] as const) {
    const table = doc[header];
    if (table === undefined) continue;
    const from = lines.section(header);
    if (typeof table !== "object" || table === null || Array.isArray(table)) {
      manifest.problems.push({ line: from, message: `[${header}] is not a table` });
      continue;
    }
    for (const [name, spec] of Object.entries(table as Record<string, unknown>)) {
      const line = lines.key(name, from);
      const dep = poetryDependency(name, spec, line, group);
      if ("error" in dep) manifest.problems.push({ line, message: dep.error });
      else manifest.dependencies.push(dep);
    }
  }
  addSources(manifest, doc.source, lines);
  return manifest;
}

/** Pipenv searches every `[[source]]`; more than one means names can resolve from either (dependency confusion). */
function addSources(manifest: ParsedManifest, sources: unknown, lines: SourceLines): void {
  if (!Array.isArray(sources)) return;
  sources.forEach((source, i) => {
    if (typeof source !== "object" || source === null) return;
    const s = source as Record<string, unknown>;
    if (typeof s.url !== "string") return;
    const line = lines.quoted(s.url, lines.section("source"));
    manifest.indexes.push({ kind: i === 0 ? "index-url" : "extra-index-url", value: s.url, line });
    if (s.verify_ssl === false) manifest.indexes.push({ kind: "trusted-host", value: s.url, line });
  });
}
