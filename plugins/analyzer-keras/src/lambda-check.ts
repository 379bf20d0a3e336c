import type { AnalyzerContext } from "@modelward/core";
import { inspectCode, type CodeInspection } from "./lambda-code.js";
import { judgeReference } from "./reference-policy.js";
import { RULES } from "./rules.js";

/**
 * A Keras 2 `Lambda` layer config (`function` + `function_type`, and the same
 * pair for `output_shape` and `mask`) or a Keras 3 one (whose `function` is a
 * nested `__lambda__` or `function` object the walk judges on its own).
 */
export async function checkLambda(config: unknown, ctx: AnalyzerContext<unknown>, at: string, pointer: string): Promise<void> {
  const c = (config && typeof config === "object" ? config : {}) as Record<string, unknown>;
  const name = typeof c.name === "string" ? c.name : "";
  const parts: string[] = [];
  let dangerous: string[] = [];
  let nested = false;
  for (const slot of ["function", "output_shape", "mask"] as const) {
    const value = untuple(c[slot]);
    const type = c[`${slot}_type`];
    if (value === undefined || value === null) continue;
    if (typeof value === "object" && !Array.isArray(value) && typeof (value as Record<string, unknown>).class_name === "string") {
      nested = true; // a Keras 3 __lambda__ or function reference: judged by the walk
      continue;
    }
    if (type === "raw" && typeof value === "string") {
      const module = typeof c[slot === "function" ? "module" : `${slot}_module`] === "string" ? String(c[slot === "function" ? "module" : `${slot}_module`]) : "";
      const verdict = judgeReference(module, value, true);
      const qualified = module ? `${module}.${value}` : value;
      parts.push(`${slot} is the function ${qualified}`);
      if (verdict.kind === "dangerous" || (verdict.kind === "gadget" && verdict.severity === "critical")) dangerous.push(qualified);
      else if (verdict.kind === "gadget") {
        ctx.report({ ruleId: RULES.gadgetFunction.id, message: `${at}: Lambda ${JSON.stringify(name)} calls ${qualified} — ${verdict.why}`, position: { jsonPointer: pointer }, evidence: { module, name: value, layer: name } });
      }
      continue;
    }
    if (slot !== "function" && type !== "lambda") continue; // a shape tuple or a constant, not code
    const code = Array.isArray(value) ? value[0] : value;
    if (typeof code !== "string") {
      parts.push(`${slot} holds ${Array.isArray(value) ? "an array" : typeof value} that is not base64 code`);
      continue;
    }
    const inspection = inspectCode(code);
    parts.push(`${slot}: ${describeInspection(inspection)}`);
    dangerous = dangerous.concat(inspection.dangerous);
  }
  report(ctx, at, pointer, `Lambda layer ${JSON.stringify(name)}`, parts, dangerous, nested);
}

/** A Keras 3 `{"class_name": "__lambda__", "config": {"code": …}}` anywhere in the config (layers, losses, metrics). */
export async function checkSerializedLambda(config: unknown, ctx: AnalyzerContext<unknown>, at: string, pointer: string, role: string): Promise<void> {
  const c = (config && typeof config === "object" ? config : {}) as Record<string, unknown>;
  const code = c.code;
  const inspection = typeof code === "string" ? inspectCode(code) : undefined;
  const parts = [inspection ? describeInspection(inspection) : "no code string"];
  ctx.recordImport({ kind: "call", name: "<lambda>", safety: inspection?.dangerous.length ? "dangerous" : "unknown" });
  report(ctx, at, pointer, `serialized Python lambda (${role})`, parts, inspection?.dangerous ?? [], false);
}

function describeInspection(i: CodeInspection): string {
  if (!i.decoded) return `code not decodable (${i.error})${i.names.length ? ` naming ${i.names.slice(0, 24).join(", ")}` : ""}`;
  const names = i.names.slice(0, 24).join(", ");
  const nested = (i.functions?.length ?? 0) > 1 ? `, with nested functions ${i.functions!.slice(1, 9).join(", ")}` : "";
  const trailing = i.trailingBytes ? `, followed by ${i.trailingBytes} bytes marshal.loads ignores` : "";
  return `${i.bytes} bytes of marshalled code${i.pythonVersion ? ` (Python ${i.pythonVersion} layout)` : ""} using ${names || "no names"}${i.names.length > 24 ? ", …" : ""}${nested}${trailing}`;
}

function report(ctx: AnalyzerContext<unknown>, at: string, pointer: string, what: string, parts: string[], dangerous: string[], nested: boolean): void {
  const unique = [...new Set(dangerous)];
  const critical = unique.length > 0;
  ctx.report({
    ruleId: RULES.lambdaLayer.id,
    severity: critical ? "critical" : "medium",
    message: `${at}: ${what} runs Python code when the model is loaded or called${critical ? `, and the code uses ${unique.join(", ")}` : ""}${parts.length ? ` (${parts.join("; ")})` : nested ? " (its function is checked below)" : ""}`,
    position: { jsonPointer: pointer },
    evidence: { ...(critical ? { dangerous: unique.join(",") } : {}), detail: parts.join("; ").slice(0, 500) },
  });
}

// tf.keras SavedModel metadata wraps func_dump's (code, defaults, closure) as {"class_name": "__tuple__", "items": [...]}.
function untuple(value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (v.class_name === "__tuple__" && Array.isArray(v.items)) return v.items;
  }
  return value;
}
