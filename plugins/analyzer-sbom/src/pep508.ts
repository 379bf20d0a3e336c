import type { DeclaredDependency } from "./declared-dependency.js";
import { looksLikeReference, nameFromReference, parseDirectReference } from "./direct-reference.js";
import { NAME_PATTERN } from "./package-name.js";

/** A PEP 508 requirement without its position. */
export type Requirement = Pick<DeclaredDependency, "name" | "specifier" | "version" | "extras" | "marker" | "direct">;

export type RequirementResult = { ok: true; value: Requirement } | { ok: false; error: string };

// PEP 440 comparison operators; `===` is arbitrary equality.
const PEP440_LIKE = /^v?(?:[0-9]+!)?[0-9][A-Za-z0-9*+._-]*$/i;
const CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)\s*([A-Za-z0-9*+!._-]+)$/;

/** Validates a comma-separated PEP 440 specifier; returns the exact version when it pins one. */
export function parseSpecifier(spec: string): { ok: true; version?: string } | { ok: false; error: string } {
  const clauses = spec.split(",").map((c) => c.trim());
  let version: string | undefined;
  for (const clause of clauses) {
    const m = CLAUSE.exec(clause);
    // Only `===` (arbitrary equality) takes any string; other operators need a PEP 440 version.
    if (!m || (m[1] !== "===" && !PEP440_LIKE.test(m[2]!))) return { ok: false, error: `invalid version specifier "${clause}"` };
    if ((m[1] === "==" || m[1] === "===") && !m[2]!.includes("*") && clauses.length === 1) version = m[2];
  }
  return { ok: true, ...(version ? { version } : {}) };
}

/**
 * Parses one PEP 508 dependency specification (`name[extra]>=1,<2; marker`,
 * `name @ url ; marker`), as pip and every PEP 621 manifest write them.
 * https://packaging.python.org/en/latest/specifications/dependency-specifiers/
 */
export function parseRequirement(input: string): RequirementResult {
  const text = input.trim();
  if (text === "") return { ok: false, error: "empty requirement" };
  // `name @ url` is PEP 508; a bare URL or path (pip's form) names its package in the URL.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@/.test(text) && looksLikeReference(text.split(/\s/)[0]!)) {
    const url = text.split(/\s+;\s*|\s+/)[0]!;
    const name = nameFromReference(url);
    if (!name) return { ok: false, error: `direct reference without a package name (add #egg=<name> or use "name @ url")` };
    const marker = /\s;\s*(.+)$/.exec(text)?.[1];
    return { ok: true, value: { name, extras: [], direct: parseDirectReference(url), ...(marker ? { marker } : {}) } };
  }
  const head = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*/.exec(text);
  if (!head || !NAME_PATTERN.test(head[1]!)) return { ok: false, error: `no valid package name in "${text}"` };
  const name = head[1]!;
  const extras = (head[2] ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  let rest = text.slice(head[0].length);
  if (rest.startsWith("@")) {
    const afterAt = rest.slice(1).trim();
    const semi = /\s;/.exec(afterAt);
    const url = (semi ? afterAt.slice(0, semi.index) : afterAt).trim();
    const marker = semi ? afterAt.slice(semi.index + 2).trim() : undefined;
    if (!url || /\s/.test(url)) return { ok: false, error: `invalid URL in "${text}"` };
    return { ok: true, value: { name, extras, direct: parseDirectReference(url), ...(marker ? { marker } : {}) } };
  }
  let marker: string | undefined;
  const semi = rest.indexOf(";");
  if (semi >= 0) {
    marker = rest.slice(semi + 1).trim();
    rest = rest.slice(0, semi);
    if (!marker) return { ok: false, error: `empty environment marker in "${text}"` };
  }
  let spec = rest.trim();
  if (spec.startsWith("(") && spec.endsWith(")")) spec = spec.slice(1, -1).trim();
  if (spec === "") return { ok: true, value: { name, extras, ...(marker ? { marker } : {}) } };
  const parsed = parseSpecifier(spec);
  if (!parsed.ok) return { ok: false, error: `${parsed.error} in "${text}"` };
  return { ok: true, value: { name, extras, specifier: spec.replace(/\s+/g, ""), ...(parsed.version ? { version: parsed.version } : {}), ...(marker ? { marker } : {}) } };
}
