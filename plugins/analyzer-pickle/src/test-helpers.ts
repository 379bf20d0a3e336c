import { isAtLeast, type FindingInput, type Severity } from "@modelward/core";
import defaultRuleset from "@modelward/ruleset-default";
import { memoryFile, pickle, recordingContext, type Recording } from "@modelward/testing";
import plugin from "./index.js";
import { ALL_RULES } from "./rules.js";

const DEFAULTS = new Map(ALL_RULES.map((r) => [r.id, r.defaultSeverity]));

/** Severity of a recorded finding (its own, else its rule's default). */
export function severityOf(f: FindingInput): Severity {
  return f.severity ?? DEFAULTS.get(f.ruleId) ?? "info";
}

/**
 * Dispatches `bytes` to the first analyzer of the plugin whose `match` claims
 * it (as the engine would), with the default ruleset; nested artifacts are
 * dispatched the same way (depth-bounded). Returns every recording.
 */
export async function scan(bytes: Uint8Array, path = "sample.bin", options: { policies?: unknown[]; depth?: number } = {}): Promise<{ claimed: string | undefined; recordings: Recording[] }> {
  const file = memoryFile(path, bytes);
  const head = bytes.subarray(0, 4096);
  const tail = bytes.subarray(Math.max(0, bytes.length - 4096));
  const analyzer = Object.values(plugin.analyzers!).find((a) => a.match(file, head, tail));
  if (!analyzer) return { claimed: undefined, recordings: [] };
  const { ctx, recording } = recordingContext({
    policies: { pickle: options.policies ?? [defaultRuleset.policies!.pickle], "pickle-calls": [defaultRuleset.policies!["pickle-calls"]] },
  });
  await analyzer.analyze(file, ctx);
  const recordings = [recording];
  if ((options.depth ?? 0) < 3) {
    for (const n of recording.nested) recordings.push(...(await scan(n.bytes, n.name, { ...options, depth: (options.depth ?? 0) + 1 })).recordings);
  }
  return { claimed: analyzer.id, recordings };
}

/** All findings of a scan, nested ones included. */
export function findingsOf(r: { recordings: Recording[] }): FindingInput[] {
  return r.recordings.flatMap((x) => x.findings);
}

/** True when some finding is at least `threshold`. */
export function alarms(r: { recordings: Recording[] }, threshold: Severity): boolean {
  return findingsOf(r).some((f) => isAtLeast(severityOf(f), threshold));
}

type Scanned = Awaited<ReturnType<typeof scan>>;
/** Findings at high or critical. */
export const high = (r: Scanned) => findingsOf(r).filter((f) => isAtLeast(severityOf(f), "high"));
/** Findings at medium or above. */
export const atLeastMedium = (r: Scanned) => findingsOf(r).filter((f) => isAtLeast(severityOf(f), "medium"));
/** Findings as [rule, severity, message] JSON, for assertion messages. */
export const show = (r: Scanned) => JSON.stringify(findingsOf(r).map((f) => [f.ruleId, severityOf(f), f.message]));

/** A pickle builder, and one step that pushes a value with it. */
export type Builder = ReturnType<typeof pickle>;
export type Step = (b: Builder) => Builder;
/** `module.name(args…)` (REDUCE) where each argument is pushed by a step. */
export function callOf(b: Builder, module: string, name: string, args: Step[]): Builder {
  b.stackGlobalOf(module, name).mark();
  for (const a of args) a(b);
  return b.tuple().reduce();
}
export const g = (module: string, name: string): Step => (b) => b.stackGlobalOf(module, name);
export const str = (s: string): Step => (b) => b.shortBinUnicode(s);
export const none: Step = (b) => b.none();
export const tupleOf = (...items: Step[]): Step => (b) => {
  b.mark();
  for (const i of items) i(b);
  return b.tuple();
};
/** A dict of str keys to values pushed by steps. */
export const dictOf = (entries: Record<string, Step>): Step => (b) => {
  b.emptyDict().mark();
  for (const [k, v] of Object.entries(entries)) v(b.shortBinUnicode(k));
  return b.setItems();
};
