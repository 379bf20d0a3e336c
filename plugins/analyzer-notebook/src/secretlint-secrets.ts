import type { RuleMeta } from "@modelward/core";
import type { Hit } from "./hit.js";
import { RULES } from "./rules.js";

type LintSource = typeof import("@secretlint/core").lintSource;
type Creator = typeof import("@secretlint/secretlint-rule-preset-recommend").creator;
type Profiler = typeof import("@secretlint/profiler").secretLintProfiler;

let loaded: Promise<{ lintSource: LintSource; creator: Creator; profiler: Profiler }> | undefined;

/** secretlint and its preset, imported on first use so CLI start-up does not pay for them. */
function load(): Promise<{ lintSource: LintSource; creator: Creator; profiler: Profiler }> {
  loaded ??= Promise.all([import("@secretlint/core"), import("@secretlint/secretlint-rule-preset-recommend"), import("@secretlint/profiler")]).then(
    ([core, preset, profiler]) => ({ lintSource: core.lintSource, creator: preset.creator, profiler: profiler.secretLintProfiler }),
  );
  return loaded;
}

/**
 * secretlint's process-wide profiler keeps every performance mark of every lint and, for each
 * new one, searches all kept marks: linear per lint, quadratic per scan (a 1,000-file folder
 * spent about 40 % of its CPU there). Nothing reads those marks, so they are dropped after each lint.
 */
function forgetProfile(profiler: Profiler): void {
  const kept = profiler as unknown as { entries?: unknown[]; measures?: unknown[]; executionPromises?: unknown[] };
  for (const list of [kept.entries, kept.measures, kept.executionPromises]) if (Array.isArray(list)) list.length = 0;
}

const BY_RULE: Record<string, RuleMeta> = {
  aws: RULES.aws,
  gcp: RULES.gcp,
  github: RULES.github,
  slack: RULES.slack,
  npm: RULES.npm,
  privatekey: RULES.privateKey,
  basicauth: RULES.basicAuth,
  "database-connection-string": RULES.connectionString,
  azure: RULES.azure,
  openai: RULES.openai,
  anthropic: RULES.anthropic,
};

/**
 * Credentials secretlint's recommended preset finds in `text`. Messages are
 * never used (they contain the secret); only the rule and the range are.
 */
export async function secretlintSecrets(text: string): Promise<Hit[]> {
  if (text.length === 0) return [];
  const { lintSource, creator, profiler } = await load();
  const result = await lintSource({
    source: { content: text, filePath: "modelward-input.txt", ext: ".txt", contentType: "text" },
    options: { config: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: creator }] }, noPhysicFilePath: true },
  });
  forgetProfile(profiler);
  const hits: Hit[] = [];
  for (const m of result.messages) {
    const short = m.ruleId.replace(/^@secretlint\/secretlint-rule-/, "");
    const rule = BY_RULE[short] ?? RULES.otherProvider;
    let [start, end] = m.range;
    let value = text.slice(start, end);
    if (short === "basicauth") {
      // Point at the password, not the whole URL.
      const pw = /^[a-z][\w+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(value);
      if (pw) {
        start += value.indexOf(`:${pw[1]}@`, value.indexOf("://") + 3) + 1;
        value = pw[1]!;
        end = start + value.length;
      }
    }
    hits.push({ rule, kind: `${rule.title} (secretlint ${short}${m.messageId ? ` ${m.messageId}` : ""})`, start, end, value, detector: `secretlint/${short}` });
  }
  return hits;
}
