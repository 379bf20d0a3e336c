import type { Ruleset } from "@modelward/core";
import picklePolicy from "../data/pickle-policy.json";

/**
 * Modelward's default ruleset: policy data only. `policies.pickle` is the
 * allow-first pickle globals policy read by `@modelward/analyzer-pickle`
 * (shape: `PicklePolicyData` of `@modelward/pickle`): every allow entry says
 * why the global is safe, every deny entry its harm family, severity,
 * CWE / MITRE ATLAS / OWASP ids and references, and every entry carries
 * positive and negative cases that the analyzer's tests run.
 */
export const defaultRuleset: Ruleset = {
  id: "default",
  description:
    "Default Modelward policy: allow-first pickle globals (allowlist with reasons, denylist with severities and taxonomy).",
  policies: {
    pickle: picklePolicy,
  },
};

export default defaultRuleset;
