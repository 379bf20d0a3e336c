import type { DeclaredDependency } from "./declared-dependency.js";
import { parseDirectReference } from "./direct-reference.js";
import { NAME_PATTERN } from "./package-name.js";

/** An exact version in Poetry / Pipfile syntax: `1.2.3` or `==1.2.3` (Poetry reads a bare version as exact). */
export function exactOf(spec: string): string | undefined {
  const m = /^(?:==|===)?\s*([0-9][A-Za-z0-9.+!_-]*)$/.exec(spec.trim());
  return m && !spec.includes("*") ? m[1] : undefined;
}

/**
 * One entry of a Poetry dependency table or a Pipfile package table:
 * `"^1.2"`, `"*"`, `{ version = "…", extras = […], markers = "…" }`,
 * `{ git = "…", rev|tag|branch = "…" }`, `{ url = "…" }`, `{ path = "…" }`.
 */
export function poetryDependency(name: string, spec: unknown, line: number, group?: string): DeclaredDependency | { error: string } {
  if (!NAME_PATTERN.test(name)) return { error: `invalid package name "${name.slice(0, 80)}"` };
  const base: DeclaredDependency = { name, extras: [], hashes: [], line, ecosystem: "pypi", ...(group ? { group } : {}) };
  if (typeof spec === "string") return withVersion(base, spec);
  const list = Array.isArray(spec) ? spec : [spec];
  // Poetry's multiple-constraint form: one table per marker; the first stands for the package.
  const first = list[0];
  if (typeof first !== "object" || first === null) return { error: `unreadable specification for ${name}` };
  const t = first as Record<string, unknown>;
  if (Array.isArray(t.extras)) base.extras = t.extras.filter((e): e is string => typeof e === "string");
  const marker = typeof t.markers === "string" ? t.markers : undefined;
  if (marker) base.marker = marker;
  if (typeof t.git === "string") {
    const revision = [t.rev, t.ref, t.tag, t.branch].find((v): v is string => typeof v === "string");
    return { ...base, direct: { ...parseDirectReference(`git+${t.git}${revision ? `@${revision}` : ""}`), url: t.git } };
  }
  if (typeof t.url === "string") return { ...base, direct: parseDirectReference(t.url) };
  if (typeof t.path === "string" || typeof t.file === "string") return { ...base, direct: { kind: "path", url: String(t.path ?? t.file), immutable: false } };
  if (typeof t.version === "string") return withVersion(base, t.version);
  return base;
}

function withVersion(base: DeclaredDependency, spec: string): DeclaredDependency {
  const trimmed = spec.trim();
  if (trimmed === "" || trimmed === "*") return base;
  const exact = exactOf(trimmed);
  return { ...base, specifier: trimmed, ...(exact ? { version: exact } : {}) };
}
