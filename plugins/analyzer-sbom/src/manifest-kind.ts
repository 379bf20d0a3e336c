import type { FileRef } from "@modelward/core";
import type { ParsedManifest } from "./declared-dependency.js";
import { parseCondaEnvironment } from "./conda-parser.js";
import { parsePipfileLock, parsePoetryLock, parseUvLock } from "./lock-parsers.js";
import { parsePipfile } from "./pipfile-parser.js";
import { parsePyproject } from "./pyproject-parser.js";
import { looksLikeRequirements, parseRequirementsFile } from "./requirements-parser.js";
import { parseSetupCfg } from "./setup-cfg-parser.js";

/** The dependency manifests the analyzer reads (also the component's `via`). */
export type ManifestKind = "requirements" | "pyproject" | "setup-cfg" | "pipfile" | "pipfile-lock" | "poetry-lock" | "uv-lock" | "conda";

/** Each kind's parser: pure, never throws on bad input (problems are returned). */
export const PARSERS: Record<ManifestKind, (text: string) => ParsedManifest> = {
  requirements: parseRequirementsFile,
  pyproject: parsePyproject,
  "setup-cfg": parseSetupCfg,
  pipfile: parsePipfile,
  "pipfile-lock": parsePipfileLock,
  "poetry-lock": parsePoetryLock,
  "uv-lock": parseUvLock,
  conda: parseCondaEnvironment,
};

/** Files named like a requirements file (`requirements.txt`, `requirements-dev.txt`, `dev-requirements.in`, `requirements/base.txt`). */
const REQUIREMENTS_NAME = /(?:^|[-_.])requirements?(?:[-_.][A-Za-z0-9_.-]*)?\.(?:txt|in)$|^requirements?\.(?:txt|in)$/i;
const CONDA_NAME = /^(?:environment|conda|env)(?:[-_.][A-Za-z0-9_.-]*)?\.ya?ml$/i;

/**
 * Which manifest an artifact is, by its name first (these formats have no
 * magic bytes), then, for other `.txt`/`.in` files, by content: every line a
 * requirement or a pip option. Cheap; never throws.
 */
export function manifestKind(file: FileRef, head: Uint8Array): ManifestKind | undefined {
  const name = file.name;
  const lower = name.toLowerCase();
  if (lower === "pyproject.toml") return "pyproject";
  if (lower === "setup.cfg") return "setup-cfg";
  if (name === "Pipfile") return "pipfile";
  if (name === "Pipfile.lock") return "pipfile-lock";
  if (lower === "poetry.lock") return "poetry-lock";
  if (lower === "uv.lock") return "uv-lock";
  if (CONDA_NAME.test(name) && /(^|\n)dependencies\s*:/.test(decodeHead(head))) return "conda";
  if (REQUIREMENTS_NAME.test(name) || (file.path.split("/").some((p) => /^requirements?$/i.test(p)) && /\.(?:txt|in)$/i.test(name))) return "requirements";
  if ((file.extension === "txt" || file.extension === "in") && !head.includes(0) && looksLikeRequirements(decodeHead(head))) return "requirements";
  return undefined;
}

function decodeHead(head: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(head);
}
