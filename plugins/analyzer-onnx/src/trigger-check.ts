import type { AnalyzerContext } from "@modelward/core";
import { findGraphTriggers } from "./graph-triggers.js";
import { str } from "./model-walk.js";
import { RULES } from "./rules.js";
import type { Decoded } from "./stream-decoder.js";

// Trigger findings listed one by one per file; the rest are counted in one closing finding.
const MAX_LISTED = 20;

/** Reports the branches `findGraphTriggers` finds (onnx/conditional-trigger, medium, low confidence). */
export function checkGraphTriggers(model: Decoded, ctx: Pick<AnalyzerContext, "report">): void {
  const triggers = findGraphTriggers(model);
  for (const t of triggers.slice(0, MAX_LISTED)) {
    const op = str(t.branch.op_type) ?? "";
    const name = str(t.branch.name) ?? "";
    const arm = t.constantArm ? `; the arm \`${t.constantArm.slice(0, 80)}\` is computed from constants only, so a match swaps the output for a fixed value` : "";
    ctx.report({
      ruleId: RULES.conditionalTrigger.id,
      message: `${t.where}: ${op} \`${name}\` chooses its result by Equal(value from input \`${t.input.slice(0, 80)}\`, ${t.constant.slice(0, 120)})${arm}: the model behaves differently when its input matches that constant, the shape of an architectural backdoor trigger`,
      evidence: { branch: name, op, comparison: str(t.comparison.name) ?? "", input: t.input.slice(0, 200), constant: t.constant.slice(0, 200), scope: t.where.slice(0, 200), ...(t.constantArm ? { constantArm: t.constantArm.slice(0, 200) } : {}) },
    });
  }
  if (triggers.length > MAX_LISTED) ctx.report({ ruleId: RULES.conditionalTrigger.id, message: `${triggers.length - MAX_LISTED} more branches of this kind not listed one by one`, evidence: { more: triggers.length - MAX_LISTED } });
}
