#!/usr/bin/env node
// Checks what npm users would receive: every publishable package packed as `pnpm publish` would pack it,
// then linted by publint (package.json against the packed files) and are-the-types-wrong (types resolve the
// same way the JavaScript does, under Node 16+ ESM/CJS and bundler resolution).
//   node scripts/check-packages.mjs   (after `pnpm build`) lists every problem, exits 1 if any
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkPackage, createPackageFromTarballData } from "@arethetypeswrong/core";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { packWorkspacePackages } from "./package-metadata.mjs";

/** Node 10 resolution is ignored: every package requires Node 20 (`engines`), as attw's `node16` profile does. */
const IGNORED_RESOLUTION = "node10";

/**
 * Whether a package is ESM-only by design (no `require` condition): a CommonJS caller then reaches ESM, which
 * Node 20.19+ loads with require(esm). attw reports it as CJSResolvesToESM; its `esm-only` profile ignores it too.
 */
function esmOnly(manifest) {
  return !JSON.stringify(manifest.exports ?? {}).includes('"require"') && !String(manifest.main ?? "").endsWith(".cjs");
}

/** publint and attw problems of one packed package, as readable sentences. */
export async function packedPackageProblems({ name, manifest, tarball }) {
  const bytes = readFileSync(tarball);
  const problems = [];
  const lint = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) }, level: "suggestion", strict: true });
  for (const message of lint.messages) problems.push(`${name}: publint ${message.type}: ${formatMessage(message, manifest) ?? message.code}`);
  const types = await checkPackage(createPackageFromTarballData(new Uint8Array(bytes)));
  if (types.types === false) {
    if (manifest.types !== undefined || manifest.exports?.["."]?.types !== undefined) problems.push(`${name}: attw found no types in the packed package`);
  } else {
    for (const problem of types.problems) {
      if ("resolutionKind" in problem && problem.resolutionKind === IGNORED_RESOLUTION) continue;
      if (problem.kind === "CJSResolvesToESM" && esmOnly(manifest)) continue;
      problems.push(`${name}: attw ${problem.kind}${"entrypoint" in problem ? ` at ${problem.entrypoint}` : ""}${"resolutionKind" in problem ? ` (${problem.resolutionKind})` : ""}`);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const destination = mkdtempSync(join(tmpdir(), "modelward-pack-"));
  try {
    const packed = packWorkspacePackages(destination);
    let count = 0;
    for (const pkg of packed) {
      for (const problem of await packedPackageProblems(pkg)) {
        console.error(problem);
        count++;
      }
    }
    console.log(`${packed.length} packages packed, ${count} problems`);
    process.exitCode = count === 0 ? 0 : 1;
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}
