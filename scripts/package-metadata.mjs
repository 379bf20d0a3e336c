#!/usr/bin/env node
// Publish metadata every workspace package carries, in one place.
//   node scripts/package-metadata.mjs          checks, lists every problem, exits 1 if any
//   node scripts/package-metadata.mjs --write  sets the fields and copies LICENSE into each package
// A package.json field set here is the project's decision (repository, engines...); fields a package
// decides for itself (sideEffects when its modules do something on import, files, exports) are kept.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const REPOSITORY_URL = "https://github.com/modelward/modelward";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const WORKSPACE_GROUPS = ["packages", "plugins", "rulesets"];
const LICENSE_ID = "Apache-2.0";
const CORE_PEER_RANGE = "workspace:>=0.1.0 <1.0.0";

/** Every publishable workspace package: `{ dir, relDir, manifest }`. */
export function publishablePackages() {
  const found = [];
  for (const group of WORKSPACE_GROUPS) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, name);
      const manifestPath = join(dir, "package.json");
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
      if (manifest.private) continue;
      found.push({ dir, relDir: relative(root, dir), manifest });
    }
  }
  return found;
}

/** The fields the project sets on every published package. */
export function expectedMetadata(relDir, manifest) {
  return {
    license: LICENSE_ID,
    repository: { type: "git", url: `git+${REPOSITORY_URL}.git`, directory: relDir },
    homepage: `${REPOSITORY_URL}/tree/main/${relDir}#readme`,
    bugs: { url: `${REPOSITORY_URL}/issues` },
    engines: { node: ">=20.19" },
    // Executables run on import; libraries declare themselves side-effect free unless they said otherwise.
    sideEffects: manifest.sideEffects ?? (manifest.bin ? true : false),
    ...(manifest.name.startsWith("@") ? { publishConfig: { access: "public" } } : {}),
  };
}

/** Problems of one package, as readable sentences (empty when it is publishable). */
export function metadataProblems({ dir, relDir, manifest }) {
  const problems = [];
  for (const [field, value] of Object.entries(expectedMetadata(relDir, manifest))) {
    if (JSON.stringify(manifest[field]) !== JSON.stringify(value)) {
      problems.push(`${relDir}: "${field}" should be ${JSON.stringify(value)} (is ${JSON.stringify(manifest[field])})`);
    }
  }
  for (const field of ["name", "version", "description", "files"]) {
    if (manifest[field] === undefined) problems.push(`${relDir}: "${field}" is missing`);
  }
  if (!existsSync(join(dir, "README.md"))) problems.push(`${relDir}: README.md is missing`);
  // The release policy (docs/releasing.md): a core peer range spans 0.x, so a core minor does not cascade majors.
  const corePeer = manifest.peerDependencies?.["@modelward/core"];
  if (corePeer !== undefined && corePeer !== CORE_PEER_RANGE) problems.push(`${relDir}: peer range on @modelward/core should be "${CORE_PEER_RANGE}" (is "${corePeer}")`);
  const license = join(dir, "LICENSE");
  if (!existsSync(license) || !readFileSync(license).equals(readFileSync(join(root, "LICENSE")))) {
    problems.push(`${relDir}: LICENSE is missing or differs from the repository's`);
  }
  return problems;
}

/**
 * Packs every publishable workspace package into `destination` (one `pnpm -r pack`, which rewrites
 * `workspace:` ranges to versions as publishing does). Returns `{ name, dir, tarball }` per package.
 */
export function packWorkspacePackages(destination) {
  execFileSync("pnpm", ["-r", "--workspace-concurrency=2", "pack", "--pack-destination", destination], { cwd: root, stdio: "ignore" });
  const tarballs = readdirSync(destination).filter((name) => name.endsWith(".tgz"));
  return publishablePackages().map(({ dir, manifest }) => {
    const fileName = `${manifest.name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`;
    if (!tarballs.includes(fileName)) throw new Error(`pnpm pack wrote no ${fileName}`);
    return { name: manifest.name, dir, manifest, tarball: join(destination, fileName) };
  });
}

const FIELD_ORDER = ["name", "version", "description", "keywords", "license", "repository", "homepage", "bugs", "engines", "type", "sideEffects"];

function writeMetadata(pkg) {
  const merged = { ...pkg.manifest, ...expectedMetadata(pkg.relDir, pkg.manifest) };
  const ordered = {};
  for (const key of FIELD_ORDER) if (key in merged) ordered[key] = merged[key];
  for (const [key, value] of Object.entries(merged)) if (!(key in ordered)) ordered[key] = value;
  writeFileSync(join(pkg.dir, "package.json"), `${JSON.stringify(ordered, null, 2)}\n`);
  copyFileSync(join(root, "LICENSE"), join(pkg.dir, "LICENSE"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const packages = publishablePackages();
  if (process.argv.includes("--write")) {
    for (const pkg of packages) writeMetadata(pkg);
    console.log(`${packages.length} packages written`);
  } else {
    const problems = packages.flatMap(metadataProblems);
    for (const problem of problems) console.error(problem);
    console.log(`${packages.length} packages, ${problems.length} problems`);
    process.exitCode = problems.length === 0 ? 0 : 1;
  }
}
