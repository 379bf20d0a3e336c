import { performance } from "node:perf_hooks";
import type { RuleMeta } from "@modelward/core";
import type { Hit } from "./hit.js";
import { RULES } from "./rules.js";

type LintSource = typeof import("@secretlint/core").lintSource;
type Creator = typeof import("@secretlint/secretlint-rule-preset-recommend").creator;
/** The arrays of secretlint's process-wide profiler that grow with every lint (see {@link forgetProfile}). */
interface Profiler {
  entries: unknown[];
  measures: unknown[];
  getEntries(): Promise<unknown>;
}

let loaded: Promise<{ lintSource: LintSource; creator: Creator; profiler: Profiler }> | undefined;

/** secretlint and its preset, imported on first use so CLI start-up does not pay for them. */
function load(): Promise<{ lintSource: LintSource; creator: Creator; profiler: Profiler }> {
  loaded ??= Promise.all([import("@secretlint/core"), import("@secretlint/secretlint-rule-preset-recommend"), import("@secretlint/profiler")]).then(([core, preset, profiler]) => ({
    lintSource: core.lintSource,
    creator: preset.creator,
    profiler: profiler.secretLintProfiler as unknown as Profiler,
  }));
  return loaded;
}

/** Names of the performance entries secretlint's core and rules make. */
const SECRETLINT_ENTRY = /^@core>|secretlint/;

let queue: Promise<unknown> = Promise.resolve();

/** Runs `task` once every earlier one has finished: lints never overlap, so one lint's profile can be forgotten safely. */
function serially<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Forgets what secretlint's core recorded about the lint that just ended. Its profiler (`@secretlint/profiler`,
 * created when the core is imported) marks the start and end of every rule of every lint (36 marks a lint) in the
 * process-wide performance timeline, keeps every mark in an array and, for each new mark, searches all earlier
 * ones: a scan of thousands of files spent most of its time in that search (1,000 lints took 9× as long as 200)
 * and kept every mark. Modelward never reads the profile. The observer sees a lint's marks on the next turn of
 * the event loop and then measures them; once those measures exist nothing refers to the marks.
 */
async function forgetProfile(profiler: Profiler): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await profiler.getEntries();
  profiler.entries.length = 0;
  profiler.measures.length = 0;
  // The core names its marks `@core>lint::start`, `@core>setup-rule::end||<rule id>` …; its measures `@core>lint` ….
  // Every one is cleared: a name left behind would make the timeline, and this very search, grow with every file.
  for (const type of ["mark", "measure"] as const) {
    const names = new Set(performance.getEntriesByType(type).map((e) => e.name).filter((n) => SECRETLINT_ENTRY.test(n)));
    for (const name of names) type === "mark" ? performance.clearMarks(name) : performance.clearMeasures(name);
  }
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
  const result = await serially(async () => {
    try {
      return await lintSource({
        source: { content: text, filePath: "modelward-input.txt", ext: ".txt", contentType: "text" },
        options: { config: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: creator }] }, noPhysicFilePath: true },
      });
    } finally {
      await forgetProfile(profiler);
    }
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
