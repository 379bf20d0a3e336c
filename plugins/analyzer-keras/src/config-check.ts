import type { AnalyzerContext } from "@modelward/core";
import { walkConfig, type ConfigObject } from "./config-walk.js";
import { checkLambda, checkSerializedLambda } from "./lambda-check.js";
import { judgeReference } from "./reference-policy.js";
import { RULES } from "./rules.js";
import { checkTorchModuleWrapper } from "./torch-wrapper.js";

// A Keras config of a very large model has tens of thousands of objects; far more is a bomb.
const MAX_NODES = 2_000_000;
// Each distinct custom or unknown name is reported once, with a count, beyond which they are summarised.
const MAX_REPORTED_NAMES = 200;

/** Facts the check gathers for `ctx.describe`. */
export interface ConfigSummary {
  objects: number;
  lambdas: number;
  topClass?: string;
}

/**
 * Checks one parsed Keras config (a `.keras` `config.json`, an `.h5`
 * `model_config`/`training_config`, a SavedModel `keras_metadata` node): every
 * object Keras resolves is judged, allow-first; Lambda code is inspected and
 * embedded torch modules are handed to the engine. `where` prefixes messages
 * (`model_config`), `pointerBase` prefixes JSON pointers.
 */
export async function checkKerasConfig(root: unknown, ctx: AnalyzerContext<unknown>, where: string, pointerBase = ""): Promise<ConfigSummary> {
  const walk = walkConfig(root, MAX_NODES);
  if (walk.truncated) {
    ctx.report({ ruleId: RULES.malformedConfig.id, message: `${where}: more than ${MAX_NODES} JSON objects and arrays; the rest was not checked`, evidence: { limit: MAX_NODES } });
    ctx.incomplete(`${where}: config walk stopped at ${MAX_NODES} nodes`);
  }
  const summary: ConfigSummary = { objects: walk.objects.length, lambdas: 0 };
  const top = walk.objects.find((o) => o.pointer === "");
  if (top) summary.topClass = String(top.value.class_name);
  const reported = new Map<string, number>();
  const once = (key: string): boolean => {
    const n = (reported.get(key) ?? 0) + 1;
    reported.set(key, n);
    return n === 1 && reported.size <= MAX_REPORTED_NAMES;
  };
  for (const object of walk.objects) {
    ctx.signal.throwIfAborted();
    const kind = await checkObject(object, ctx, where, pointerBase, once);
    if (kind === "lambda") summary.lambdas++;
  }
  if (reported.size > MAX_REPORTED_NAMES) ctx.incomplete(`${where}: ${reported.size - MAX_REPORTED_NAMES} more distinct unknown names were not reported one by one`);
  return summary;
}

async function checkObject(
  object: ConfigObject,
  ctx: AnalyzerContext<unknown>,
  where: string,
  pointerBase: string,
  once: (key: string) => boolean,
): Promise<"lambda" | undefined> {
  const v = object.value;
  const className = String(v.class_name);
  const module = typeof v.module === "string" ? v.module : "";
  const registered = typeof v.registered_name === "string" ? v.registered_name : "";
  const pointer = pointerBase + object.pointer;
  const at = `${where} at ${pointer || "/"}`;

  if (className === "__lambda__") {
    await checkSerializedLambda(v.config, ctx, at, pointer, `${object.key || "a value"} of the enclosing object`);
    return "lambda";
  }
  if (className === "Lambda" && (!module || module.startsWith("keras") || module.startsWith("tf_keras"))) {
    ctx.recordImport({ kind: "layer", name: "keras.layers.Lambda", safety: "unknown" });
    await checkLambda(v.config, ctx, at, pointer);
    return "lambda";
  }
  if (className === "TFSMLayer") {
    const config = (v.config ?? {}) as Record<string, unknown>;
    const filepath = typeof config.filepath === "string" ? config.filepath : "";
    ctx.recordImport({ kind: "layer", name: "keras.layers.TFSMLayer", safety: "dangerous" });
    ctx.report({
      ruleId: RULES.externalModel.id,
      message: `${at}: TFSMLayer loads the SavedModel at ${filepath ? JSON.stringify(filepath) : "a path not given in the config"} when the model loads`,
      position: { jsonPointer: pointer },
      evidence: { filepath, layer: String(((v.config ?? {}) as Record<string, unknown>).name ?? "") },
    });
    return undefined;
  }
  if (className === "TorchModuleWrapper") {
    ctx.recordImport({ kind: "layer", name: "keras.layers.TorchModuleWrapper", safety: "dangerous" });
    await checkTorchModuleWrapper(v.config, ctx, at, pointer);
    return undefined;
  }

  const isFunction = className === "function";
  const name = isFunction ? (typeof v.config === "string" ? v.config : registered) : className;
  const qualified = module ? `${module}.${name}` : name;
  const insideLambda = object.key === "function" || object.key === "output_shape" || object.key === "mask";
  const verdict = judgeReference(module, name, isFunction);
  switch (verdict.kind) {
    case "dangerous":
      ctx.recordImport({ kind: isFunction ? "call" : "layer", name: qualified, safety: "dangerous" });
      ctx.report({
        ruleId: RULES.dangerousReference.id,
        message: `${at}: ${isFunction ? "function" : "object"} ${qualified} — Keras ${verdict.why} while loading the model`,
        position: { jsonPointer: pointer },
        evidence: { module, name, ...(registered ? { registeredName: registered } : {}) },
      });
      return undefined;
    case "gadget":
      ctx.recordImport({ kind: isFunction ? "call" : "layer", name: qualified, safety: "dangerous" });
      ctx.report({
        ruleId: verdict.severity === "critical" ? RULES.dangerousReference.id : RULES.gadgetFunction.id,
        severity: verdict.severity,
        message: `${at}: ${qualified}${insideLambda ? " used as a Lambda target" : ""} — ${verdict.why}`,
        position: { jsonPointer: pointer },
        evidence: { module, name },
      });
      return undefined;
    case "unknown-module":
      ctx.recordImport({ kind: isFunction ? "call" : "layer", name: qualified, safety: "unknown" });
      if (once(`m:${qualified}`))
        ctx.report({
          ruleId: RULES.unknownModule.id,
          message: `${at}: Keras imports module ${JSON.stringify(module)} to resolve ${JSON.stringify(name)}`,
          position: { jsonPointer: pointer },
          evidence: { module, name },
        });
      return undefined;
    case "custom": {
      const shown = registered && registered !== className ? registered : qualified;
      ctx.recordImport({ kind: "layer", name: shown, safety: "unknown" });
      if (once(`c:${shown}`))
        ctx.report({
          ruleId: RULES.customObject.id,
          message: `${at}: ${JSON.stringify(shown)} is not a Keras class; loading needs custom code registered under that name`,
          position: { jsonPointer: pointer },
          evidence: { className, module, ...(registered ? { registeredName: registered } : {}) },
        });
      return undefined;
    }
    case "safe":
      ctx.recordImport({ kind: isFunction ? "call" : "layer", name: module ? qualified : `keras.${name}`, safety: "safe" });
      return undefined;
  }
}
