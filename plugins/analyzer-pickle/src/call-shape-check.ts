import { describeCallShapes, matchesCallShape, type PicklePolicy, type PickleRunResult } from "@modelward/pickle";
import type { CallJudgement } from "./call-judge.js";
import { RULES } from "./rules.js";

type Report = (ruleId: string, f: { message: string; position?: { byteOffset: number }; evidence: Record<string, string | number | boolean> }) => void;

/**
 * Allowed reconstructors whose policy entry lists `callShapes` are safe only
 * when called the way their library pickles them: every call of one
 * (direct, through getattr/partial, or by another callable) is checked
 * against the shapes, and any other call is an unknown call. The name
 * itself stays allowed (no finding for merely importing it).
 */
export function checkCallShapes(policy: PicklePolicy, r: PickleRunResult, j: CallJudgement, where: string, report: Report): void {
  const shaped = (module: string, name: string) => {
    const v = policy.evaluate(module, name);
    return v.verdict === "safe" && v.entry.callShapes ? v.entry.callShapes : undefined;
  };
  const flag = (path: string, shapes: Parameters<typeof describeCallShapes>[1], expression: string, offset: number, seen: string): void => {
    report(RULES.unknownCall.id, {
      message: `calls ${expression} at byte ${offset}${where}: ${describeCallShapes(path, shapes)}${seen}`,
      position: { byteOffset: offset },
      evidence: { callable: path, call: expression },
    });
  };

  r.calls.forEach((c, index) => {
    if (c.kind === "build" || c.kind === "persistent_load" || c.kind === "method") return;
    const g = c.global !== undefined ? r.globals[c.global] : j.resolvedCalls.get(index);
    if (!g) return;
    const shapes = shaped(g.module, g.name);
    if (!shapes || matchesCallShape(shapes, c.args, c.kwargs)) return;
    flag(`${g.module}.${g.name}`, shapes, c.expression, c.offset, "");
  });
  for (const call of j.indirect) {
    const shapes = shaped(call.module, call.name);
    if (!shapes || (call.args !== undefined && matchesCallShape(shapes, call.args))) continue;
    flag(`${call.module}.${call.name}`, shapes, call.chain, call.offset, call.args === undefined ? " (called by another callable with arguments that cannot be checked)" : "");
  }
}

