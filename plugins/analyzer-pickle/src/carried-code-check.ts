import { isKind, render, stateLookup, type AllowEntry, type PicklePolicy, type PickleRunResult, type PickleValue } from "@modelward/pickle";
import { RULES } from "./rules.js";

type Report = (ruleId: string, f: { message: string; severity?: "critical"; position?: { byteOffset: number }; evidence: Record<string, string | number | boolean> }) => void;
type CarriedCode = NonNullable<AllowEntry["carriedCode"]>;

/**
 * Allowed classes whose `__setstate__` runs code carried in the pickled
 * state (scipy.stats distributions `exec` their `_parse_arg_template`) are
 * judged by that code: every BUILD given to an instance of one must be a
 * dict the VM read whole for that key, whose value there (when present) is
 * one of the library's own strings. Anything else is the file choosing the
 * code: critical. The instance's class is the NEWOBJ/REDUCE callee, or the
 * first argument of a reconstructor (`copyreg._reconstructor(cls, …)`).
 */
export function checkCarriedCode(policy: PicklePolicy, r: PickleRunResult, where: string, report: Report): void {
  for (const c of r.calls) {
    if (c.kind !== "build" || !isKind(c.instance, "call")) continue;
    const inst = c.instance;
    for (const cls of [inst.callee, inst.args[0]]) {
      if (!isKind(cls, "global")) continue;
      const v = policy.evaluate(cls.module, cls.name);
      if (v.verdict !== "safe" || !v.entry.carriedCode) continue;
      const problem = carriedCodeProblem(c.args[0] ?? null, v.entry.carriedCode);
      if (problem) {
        const path = `${cls.module}.${cls.name}`;
        report(RULES.dangerousGlobal.id, {
          message: `BUILD of a ${path} at byte ${c.offset}${where} runs code its state carries: ${problem}`,
          severity: "critical",
          position: { byteOffset: c.offset },
          evidence: { class: path, stateKey: v.entry.carriedCode.stateKey, family: "code-execution" },
        });
      }
      break;
    }
  }
}

function carriedCodeProblem(state: PickleValue, spec: CarriedCode): string | undefined {
  const key = spec.stateKey;
  const found = stateLookup(state, key);
  if (found === "unreadable") return `its __setstate__ execs the state's ${key}, and that state (${render(state, { maxLength: 80, maxDepth: 1 })}) cannot be read whole`;
  if (found === undefined) return undefined;
  if (typeof found !== "string") return `its __setstate__ execs ${key} = ${render(found, { maxLength: 120 })}, not a plain str`;
  if (spec.equals.includes(found)) return undefined;
  // A payload appended to the library's own template: show what was added.
  const own = spec.equals.find((t) => found.startsWith(t));
  const shown = own !== undefined ? `the library's template followed by ${clip(found.slice(own.length))}` : clip(found);
  return `its __setstate__ execs ${key} = ${shown}, which is not code the library generates`;
}

const clip = (s: string): string => JSON.stringify(s.length > 160 ? `${s.slice(0, 160)}…` : s);
