import type { AnalyzerContext } from "@modelward/core";
import { PicklePolicy } from "@modelward/pickle";

// The compiled pickle policy per ruleset data, keyed by the identity of each piece of data:
// every TorchScript archive of a scan gets the same data, and compiling is costly.
let cached: { data: readonly unknown[]; policy: PicklePolicy } | undefined;

/**
 * The pickle policy of the loaded rulesets, used to judge the dotted names of
 * TorchScript code; undefined when no ruleset provides one (the code scan then
 * falls back to its own short list of system modules).
 */
export function scriptPolicy(ctx: AnalyzerContext<unknown>): PicklePolicy | undefined {
  const data = ctx.policies("pickle");
  if (data.length === 0) return undefined;
  if (!cached || cached.data.length !== data.length || cached.data.some((d, i) => d !== data[i])) cached = { data: [...data], policy: PicklePolicy.fromData(data) };
  return cached.policy;
}
