import { realpathSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import type { FileReference, TargetDescription } from "@modelward/core";
import type { ArtifactRecord } from "./artifact-record.js";
import type { FindingBuilder } from "./finding-builder.js";

/**
 * Scan-level check (after every artifact of the scan is recorded): each file an
 * artifact said it opens when loaded ({@link FileReference}) is looked up among the
 * files of the same target. Reported on the referring artifact, with the analyzer's
 * rules: the file is missing, it is a symlink whose real path leaves the artifact's
 * folder, or it is shorter than the bytes the artifact reads; a file that must be
 * analysed but was skipped leaves the referrer incomplete.
 *
 * Only top-level files of a folder target are judged: a file scanned alone (the
 * target is the file itself) has no listed siblings, and members of an archive
 * are resolved by their container's analyzer.
 */
export function checkTargetReferences(records: readonly ArtifactRecord[], targets: readonly TargetDescription[], findings: FindingBuilder): void {
  const byTarget = new Map<string, Map<string, ArtifactRecord>>();
  for (const r of records) {
    if (r.members.length > 0 || !r.path) continue;
    const files = byTarget.get(r.target) ?? new Map<string, ArtifactRecord>();
    byTarget.set(r.target, files);
    // A path can be recorded twice (a skip entry and the scanned file): the analysed one wins.
    const prev = files.get(r.path);
    if (!prev || prev.analyzers.length === 0) files.set(r.path, r);
  }
  for (const r of records) {
    if (!r.references?.length || r.members.length > 0) continue;
    const files = byTarget.get(r.target);
    const target = targets.find((t) => t.uri === r.target);
    if (!files || isSingleFileTarget(r, files, target)) continue;
    const root = localRoot(target);
    const folder = posix.dirname(r.path) === "." ? "" : posix.dirname(r.path);
    for (const ref of r.references) {
      const path = posix.normalize(folder ? `${folder}/${ref.path}` : ref.path);
      if (path.startsWith("../") || path === ".." || posix.isAbsolute(path)) continue; // the analyzer reports escapes itself
      const report = (ruleId: string, message: string, evidence: Record<string, string | number | boolean>) => {
        const finding = findings.build(
          { ruleId, message, evidence: { referenced: path, role: ref.role, ...evidence }, ...(ref.position ? { position: ref.position } : {}) },
          { target: r.target, path: r.path, members: [] },
        );
        if (!finding) return;
        const same = r.findings.find((f) => f.fingerprint === finding.fingerprint);
        if (same) same.occurrences++;
        else r.findings.push(finding);
      };
      const file = files.get(path);
      if (!file) {
        report(ref.rules.missing, `${r.path} opens "${path}" (${ref.role}) when loaded, and the scanned folder has no such file`, {});
        continue;
      }
      if (ref.mustBeAnalysed && (file.skipReason !== undefined || file.analyzers.length === 0)) {
        r.incomplete.push({ reason: `"${path}" (${ref.role}) was not analysed${file.skipReason ? ` (${file.skipReason})` : ""}: the model it belongs to is only partly checked` });
      }
      if (ref.rules.short && ref.minSize !== undefined && /^\d{1,20}$/.test(ref.minSize) && BigInt(file.size) < BigInt(ref.minSize)) {
        report(ref.rules.short, `${r.path} reads ${ref.minSize} bytes of "${path}" (${ref.role}), which holds only ${file.size}`, { needed: ref.minSize, size: file.size });
      }
      if (ref.rules.outside && file.linkedTo !== undefined && root !== undefined) {
        const own = posix.join(root, folder);
        const real = realFolder(own);
        if (!isWithin(real, file.linkedTo) && !isHubCacheBlob(own, file.linkedTo) && !isHubCacheBlob(real, file.linkedTo)) {
          report(ref.rules.outside, `${r.path} opens "${path}" (${ref.role}), a symlink to ${file.linkedTo}, outside the model's folder: the loader reads that file instead`, { linkedTo: file.linkedTo });
        }
      }
    }
  }
}

/**
 * A target that is one file (a path to a file, standard input): its only record is the
 * target itself, so there are no siblings to look up. A folder holding one file is not.
 */
function isSingleFileTarget(r: ArtifactRecord, files: ReadonlyMap<string, ArtifactRecord>, target: TargetDescription | undefined): boolean {
  if (files.size !== 1 || r.path.includes("/")) return false;
  if (target === undefined || target.uri === "stdin:") return true;
  const input = target.input.replace(/\/+$/, "");
  return input === r.path || input.endsWith(`/${r.path}`);
}

function localRoot(target: TargetDescription | undefined): string | undefined {
  if (!target?.uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(target.uri);
  } catch {
    return undefined;
  }
}

function realFolder(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isWithin(folder: string, path: string): boolean {
  return path === folder || path.startsWith(folder.endsWith("/") ? folder : `${folder}/`);
}

/**
 * A Hugging Face cache links every file of `<repo>/snapshots/<rev>/` to `<repo>/blobs/<hash>`:
 * that link leaves the folder by design, and the blob is the file the repository holds.
 */
function isHubCacheBlob(folder: string, linkedTo: string): boolean {
  const at = folder.lastIndexOf("/snapshots/");
  return at > 0 && isWithin(`${folder.slice(0, at)}/blobs`, linkedTo) && /\/blobs\/[0-9a-f]{40,64}$/.test(linkedTo);
}
