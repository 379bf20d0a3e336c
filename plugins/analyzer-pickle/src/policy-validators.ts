import { CallSemantics, PicklePolicy, type PolicyProblem } from "@modelward/pickle";

// Data of one ruleset is compiled alone, so its problems' `policy[0]` prefix says nothing: drop it.
const describe = (problems: readonly PolicyProblem[]): string[] =>
  problems.map((p) => `${p.where.replace(/^(policy|pickle-calls)\[0\]\.?/, "") || "(top level)"}: ${p.message}`);

/**
 * Validators of the policy namespaces the pickle analyzers read (`Analyzer.policyValidators`): the
 * same checks the analyzers apply when they compile the data, run once at config load, so a bad
 * entry in a user's ruleset is a config error rather than an incomplete analysis of every file.
 */
export const PICKLE_POLICY_VALIDATORS: Record<string, (data: unknown) => string[]> = {
  pickle: (data) => describe(PicklePolicy.fromData([data]).problems),
  "pickle-calls": (data) => describe(CallSemantics.fromData([data]).problems),
};
