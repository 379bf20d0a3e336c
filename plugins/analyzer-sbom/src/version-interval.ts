import { compareVersions, isValidVersion } from "./pep440-memo.js";

/** One end of an interval of PEP 440 versions. */
export interface Bound {
  version: string;
  inclusive: boolean;
}

/** The versions a specifier admits, reduced to one interval (`!=` exclusions are ignored: it can only admit more). */
export interface Interval {
  lower?: Bound;
  upper?: Bound;
}

/** The release with its `index`-th component bumped and the rest dropped: `bump("1.4.2", 1)` is `1.5`. */
function bump(version: string, index: number): string {
  const release = version.replace(/^v/i, "").split(/[^0-9.]/)[0]!.split(".").filter(Boolean).map(Number);
  const kept = release.slice(0, index + 1);
  while (kept.length < index + 1) kept.push(0);
  kept[index] = kept[index]! + 1;
  return kept.join(".");
}

/**
 * The interval of a specifier: PEP 440 clauses (`>=1.2,<2`, `~=1.4.2`,
 * `==1.*`), Poetry's caret and tilde (`^1.2`, `~1.2`), conda's prefix
 * match (`=1.2`). Undefined when it cannot be read (the caller then decides nothing).
 */
export function intervalOf(specifier: string): Interval | undefined {
  const out: Interval = {};
  const raise = (b: Bound) => {
    if (!out.lower || cmp(b.version, out.lower.version) > 0 || (cmp(b.version, out.lower.version) === 0 && !b.inclusive)) out.lower = b;
  };
  const lower = (b: Bound) => {
    if (!out.upper || cmp(b.version, out.upper.version) < 0 || (cmp(b.version, out.upper.version) === 0 && !b.inclusive)) out.upper = b;
  };
  for (const raw of specifier.split(",")) {
    const clause = raw.trim();
    if (clause === "" || clause === "*") continue;
    const m = /^(~=|===|==|!=|<=|>=|<|>|\^|~|=)?\s*(.+)$/.exec(clause);
    if (!m) return undefined;
    const op = m[1] ?? "==";
    let v = m[2]!.trim();
    if (op === "!=") continue;
    if (v.endsWith(".*")) {
      if (op !== "==" && op !== "=") return undefined;
      v = v.slice(0, -2);
      if (!isValidVersion(v)) return undefined;
      raise({ version: v, inclusive: true });
      lower({ version: bump(v, v.split(".").length - 1), inclusive: false });
      continue;
    }
    if (!isValidVersion(v)) return undefined;
    const parts = v.split(".").length;
    switch (op) {
      case ">=": raise({ version: v, inclusive: true }); break;
      case ">": raise({ version: v, inclusive: false }); break;
      case "<=": lower({ version: v, inclusive: true }); break;
      case "<": lower({ version: v, inclusive: false }); break;
      case "==": case "===": raise({ version: v, inclusive: true }); lower({ version: v, inclusive: true }); break;
      case "~=": raise({ version: v, inclusive: true }); lower({ version: bump(v, Math.max(0, parts - 2)), inclusive: false }); break;
      case "~": raise({ version: v, inclusive: true }); lower({ version: bump(v, parts >= 2 ? 1 : 0), inclusive: false }); break;
      case "^": {
        const release = v.split(".").map((x) => Number.parseInt(x, 10));
        const first = release.findIndex((x) => x !== 0);
        raise({ version: v, inclusive: true });
        lower({ version: bump(v, first < 0 ? release.length - 1 : first), inclusive: false });
        break;
      }
      case "=": raise({ version: v, inclusive: true }); lower({ version: bump(v, parts - 1), inclusive: false }); break;
      default: return undefined;
    }
  }
  return out;
}

function cmp(a: string, b: string): number {
  return compareVersions(a, b);
}

/** True when two intervals share at least one version. */
export function overlaps(a: Interval, b: Interval): boolean {
  const lo = !a.lower ? b.lower : !b.lower ? a.lower : maxLower(a.lower, b.lower);
  const hi = !a.upper ? b.upper : !b.upper ? a.upper : minUpper(a.upper, b.upper);
  if (!lo || !hi) return true;
  const c = cmp(lo.version, hi.version);
  return c < 0 || (c === 0 && lo.inclusive && hi.inclusive);
}

function maxLower(a: Bound, b: Bound): Bound {
  const c = cmp(a.version, b.version);
  return c > 0 ? a : c < 0 ? b : { version: a.version, inclusive: a.inclusive && b.inclusive };
}

function minUpper(a: Bound, b: Bound): Bound {
  const c = cmp(a.version, b.version);
  return c < 0 ? a : c > 0 ? b : { version: a.version, inclusive: a.inclusive && b.inclusive };
}

/** True when `version` lies in the interval. */
export function contains(interval: Interval, version: string): boolean {
  return overlaps(interval, { lower: { version, inclusive: true }, upper: { version, inclusive: true } });
}
