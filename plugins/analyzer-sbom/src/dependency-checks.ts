import type { FindingInput } from "@modelward/core";
import type { ParsedManifest } from "./declared-dependency.js";
import { redactUrl } from "./direct-reference.js";
import type { ManifestKind } from "./manifest-kind.js";
import { RULES } from "./rules.js";

/** Manifests that are meant to be installed as they are (no lock resolves them). */
const INSTALLED_AS_WRITTEN: ReadonlySet<string> = new Set(["requirements", "conda", "notebook"]);
/** How many names the unpinned finding lists before "and N more". */
const LISTED_NAMES = 20;

/**
 * Index, reference and pinning checks of one manifest: dependency confusion,
 * insecure indexes, mutable VCS/URL references, includes leaving the
 * project, and unpinned requirements (one finding per file).
 */
export function integrityFindings(manifest: ParsedManifest, kind: ManifestKind | "notebook", filePath: string): FindingInput[] {
  const out: FindingInput[] = [];
  for (const index of manifest.indexes) {
    const shown = redactUrl(index.value);
    if (index.kind === "extra-index-url") {
      out.push({
        ruleId: RULES.extraIndex.id,
        message: `${shown} is searched alongside the default index (line ${index.line}): a package name registered on both resolves to whichever offers the higher version`,
        position: at(index),
        evidence: { index: shown, option: index.kind },
      });
    }
    if (index.kind === "trusted-host" || /^http:\/\//i.test(index.value)) {
      out.push({
        ruleId: RULES.insecureIndex.id,
        message: index.kind === "trusted-host" ? `TLS verification turned off for ${shown} (line ${index.line})` : `package index ${shown} is plain HTTP (line ${index.line})`,
        position: at(index),
        evidence: { index: shown, option: index.kind },
      });
    }
  }
  for (const dep of manifest.dependencies) {
    const direct = dep.direct;
    if (!direct || direct.immutable || direct.kind === "path") continue;
    const shown = redactUrl(direct.url);
    const why = direct.kind === "vcs" ? (direct.revision ? `revision "${direct.revision}" is a branch or tag, not a commit` : "no revision: the default branch") : "no content hash";
    out.push({
      ruleId: RULES.mutableReference.id,
      message: `${dep.name} is installed from ${shown} with ${why} (line ${dep.line})`,
      position: at(dep),
      evidence: { package: dep.name, reference: shown, kind: direct.kind, ...(direct.revision ? { revision: direct.revision } : {}) },
    });
  }
  for (const include of manifest.includes) {
    if (/^(?:\/|[A-Za-z]:[\\/]|~|[a-z][a-z0-9+.-]*:\/\/)/i.test(include.path) || escapesProject(filePath, include.path)) {
      out.push({
        ruleId: RULES.includeOutside.id,
        message: `-${include.kind === "requirement" ? "r" : "c"} ${include.path} (line ${include.line}) is outside the scanned project: its requirements were not checked`,
        position: at(include),
        evidence: { include: redactUrl(include.path), kind: include.kind },
      });
    }
  }
  if (INSTALLED_AS_WRITTEN.has(kind) && !manifest.lock) {
    const loose = manifest.dependencies.filter((d) => !d.direct && d.version === undefined);
    if (loose.length > 0) {
      const names = [...new Set(loose.map((d) => d.name))];
      const listed = names.slice(0, LISTED_NAMES).join(", ") + (names.length > LISTED_NAMES ? ` and ${names.length - LISTED_NAMES} more` : "");
      out.push({
        ruleId: RULES.unpinned.id,
        message: `${names.length} of ${manifest.dependencies.length} requirements have no exact version: ${listed}`,
        position: at(loose[0]!),
        evidence: { count: names.length, packages: names.join(",").slice(0, 2000) },
      });
    }
  }
  return out;
}

/** The finding position of something declared at a line (of a notebook cell). */
export function at(x: { line: number; cell?: number }): { line: number; cell?: number } {
  return { line: x.line, ...(x.cell !== undefined ? { cell: x.cell } : {}) };
}

/** True when `include`, relative to the folder of `filePath` (root-relative), climbs above the scanned root. */
function escapesProject(filePath: string, include: string): boolean {
  let depth = filePath.split("/").length - 1;
  for (const part of include.replace(/\\/g, "/").split("/")) {
    if (part === "..") depth--;
    else if (part !== "." && part !== "") depth++;
    if (depth < 0) return true;
  }
  return false;
}
