import { pathToFileURL } from "node:url";
import type { ScanReport, TargetDescription } from "@modelward/core";
import type { ArtifactLocation } from "./sarif-log.js";

/** The `originalUriBaseIds` key used when a report has exactly one target (GitHub's convention). */
export const SINGLE_TARGET_BASE_ID = "%SRCROOT%";

/** How one scanned target maps onto SARIF: a base id and the absolute URI it stands for. */
export interface TargetBase {
  /** Key in `run.originalUriBaseIds`. */
  id: string;
  /** Absolute URI with a trailing slash; file paths resolve against it. */
  uri: string;
  /** The target as the report describes it (synthesised for a target only findings mention). */
  target: TargetDescription;
  /** URI-encoded folder of the target below `uri` (with a trailing slash), when the base is the source root; else empty. */
  prefix: string;
  /** True when `uri` is the source root several targets may share. */
  sourceRoot?: boolean;
}

/** Percent-encodes each segment of a `/`-separated relative path, so it is a valid URI reference. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/**
 * The directory URI files of `target` resolve against. When the target is a
 * single file (every path is that file's own name), it is its parent folder;
 * otherwise it is the target itself.
 */
function baseUriOf(target: TargetDescription, paths: ReadonlySet<string>): string {
  const uri = target.uri;
  if (uri.endsWith("/")) return uri;
  const slash = uri.lastIndexOf("/");
  const last = slash >= 0 ? uri.slice(slash + 1) : "";
  const isSingleFile = paths.size > 0 && [...paths].every((p) => p === last || encodePath(p) === last);
  return isSingleFile ? uri.slice(0, slash + 1) : `${uri}/`;
}

/**
 * One base per target. With a source root (the repository's top level, or the
 * working directory), every local target inside it shares `%SRCROOT%` = that
 * root, and its files' URIs are relative to the root, as GitHub code scanning
 * expects (`models/a.pkl`, not `a.pkl`). Other targets (outside the root,
 * remote, standard input): `%SRCROOT%` when there is only one target in all,
 * else `TARGET1`…`TARGETn` in `report.targets` order. Targets that only files
 * or findings name (an inconsistent report) get a base too, after the
 * declared ones, so every location still resolves.
 */
export function targetBases(report: ScanReport, sourceRoot?: string): Map<string, TargetBase> {
  const targets = [...report.targets];
  const known = new Set(targets.map((t) => t.uri));
  const paths = new Map<string, Set<string>>();
  const note = (uri: string, path: string) => {
    if (!known.has(uri)) {
      known.add(uri);
      targets.push({ uri, input: uri, source: "unknown" });
    }
    let set = paths.get(uri);
    if (!set) paths.set(uri, (set = new Set()));
    set.add(path);
  };
  for (const file of report.files) {
    note(file.target, file.path);
    for (const f of file.findings) note(f.location.target, f.location.path);
  }
  const rootUri = sourceRoot === undefined ? undefined : pathToFileURL(sourceRoot).href.replace(/\/?$/, "/");
  const baseUris = targets.map((t) => baseUriOf(t, paths.get(t.uri) ?? new Set()));
  const inRoot = baseUris.map((uri) => rootUri !== undefined && uri.startsWith(rootUri));
  const single = targets.length === 1;
  return new Map(
    targets.map((target, i) => {
      const uri = baseUris[i]!;
      const base: TargetBase = inRoot[i]
        ? { id: SINGLE_TARGET_BASE_ID, uri: rootUri!, target, prefix: uri.slice(rootUri!.length), sourceRoot: true }
        : { id: single && !inRoot.some(Boolean) ? SINGLE_TARGET_BASE_ID : `TARGET${i + 1}`, uri, target, prefix: "" };
      return [target.uri, base];
    }),
  );
}

/** `run.originalUriBaseIds` for the bases. */
export function originalUriBaseIds(bases: Map<string, TargetBase>): Record<string, ArtifactLocation> {
  const out: Record<string, ArtifactLocation> = {};
  for (const base of bases.values()) {
    if (base.sourceRoot) {
      // The source root, shared by every target inside it.
      out[base.id] ??= { uri: base.uri, description: { text: "The repository's top level (or the working directory) the scanned targets lie in." } };
      continue;
    }
    const { input, source, revision } = base.target;
    out[base.id] = {
      uri: base.uri,
      description: { text: `Scanned target ${input} (source: ${source}${revision ? `, revision ${revision}` : ""}).` },
      properties: { target: base.target.uri, input, source, ...(revision ? { revision } : {}) },
    };
  }
  return out;
}

/** The artifact location of a top-level file: its path relative to its target's base. */
export function artifactLocation(bases: Map<string, TargetBase>, target: string, path: string): ArtifactLocation {
  const base = bases.get(target);
  return base ? { uri: base.prefix + encodePath(path), uriBaseId: base.id } : { uri: encodePath(path) };
}
