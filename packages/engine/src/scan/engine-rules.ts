import type { RuleMeta } from "@modelward/core";
import { BUDGET_EXCEEDED } from "./budget-exceeded.js";
import { MODULE_FROM_TARGET } from "./target-modules.js";

/** Rules the engine itself reports (scan-level checks), registered beside the plugins' rules. */
export const ENGINE_RULES: readonly RuleMeta[] = [MODULE_FROM_TARGET, BUDGET_EXCEEDED];
