import type { RuleMeta } from "@modelward/core";
import type { Hit } from "./hit.js";
import { RULES } from "./rules.js";

type LintSource = typeof import("@secretlint/core").lintSource;
type Creator = typeof import("@secretlint/secretlint-rule-preset-recommend").creator;

let loaded: Promise<{ lintSource: LintSource; creator: Creator }> | undefined;

/** secretlint and its preset, imported on first use so CLI start-up does not pay for them. */
function load(): Promise<{ lintSource: LintSource; creator: Creator }> {
  loaded ??= Promise.all([import("@secretlint/core"), import("@secretlint/secretlint-rule-preset-recommend")]).then(([core, preset]) => ({ lintSource: core.lintSource, creator: preset.creator }));
  return loaded;
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
  const { lintSource, creator } = await load();
  const result = await lintSource({
    source: { content: text, filePath: "modelward-input.txt", ext: ".txt", contentType: "text" },
    options: { config: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: creator }] }, noPhysicFilePath: true },
  });
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
