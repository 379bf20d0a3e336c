import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Resolves a package name or a relative path the way Node would from `fromDir`
 * (a config file's folder) and imports it. Package names are looked up in
 * `node_modules` folders from `fromDir` upwards; nothing is discovered by magic.
 */
export async function importFrom(specifier: string, fromDir: string): Promise<unknown> {
  const file = resolveFrom(specifier, fromDir);
  if (file.endsWith(".json")) return JSON.parse(readFileSync(file, "utf8"));
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  return mod.default ?? mod;
}

/** The file a specifier resolves to from `fromDir`; throws an Error saying why not. */
export function resolveFrom(specifier: string, fromDir: string): string {
  if (specifier.startsWith(".") || isAbsolute(specifier)) {
    const file = resolve(fromDir, specifier);
    if (!existsSync(file)) throw new Error(`no file at ${file}`);
    return file;
  }
  try {
    return createRequire(join(fromDir, "noop.js")).resolve(specifier);
  } catch (error) {
    // ESM-only packages export no "require" condition: resolve their "import" entry by hand.
    const pkgDir = findPackageDir(specifier, fromDir);
    if (!pkgDir) throw new Error(`package "${specifier}" is not installed where ${fromDir} can see it`, { cause: error });
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as Record<string, unknown>;
    const entry = esmEntry(pkg);
    if (!entry) throw new Error(`package "${specifier}" declares no entry point`, { cause: error });
    return join(pkgDir, entry);
  }
}

/** Whether a plugin or ruleset specifier names a package (`x`, `@scope/x`) rather than a file path. */
export function isPackageName(specifier: string): boolean {
  return !specifier.startsWith(".") && !isAbsolute(specifier) && !specifier.toLowerCase().endsWith(".json") && !specifier.toLowerCase().endsWith(".js");
}

/** `name` and `version` of the installed package a package-name specifier resolves to from `fromDir`, if found. */
export function packageManifestOf(specifier: string, fromDir: string): { name: unknown; version: unknown } | undefined {
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
  const dir = findPackageDir(name, fromDir);
  if (!dir) return undefined;
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    return { name: pkg.name, version: pkg.version };
  } catch {
    return undefined;
  }
}

function findPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function esmEntry(pkg: Record<string, unknown>): string | undefined {
  let target: unknown = pkg.exports;
  if (typeof target === "object" && target !== null && "." in target) target = (target as Record<string, unknown>)["."];
  for (let depth = 0; depth < 4 && typeof target === "object" && target !== null; depth++) {
    const t = target as Record<string, unknown>;
    target = t.import ?? t.default ?? t.node;
  }
  if (typeof target === "string") return target;
  if (typeof pkg.module === "string") return pkg.module;
  if (typeof pkg.main === "string") return pkg.main;
  return undefined;
}
