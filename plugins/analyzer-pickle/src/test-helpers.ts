import { isAtLeast, type FindingInput, type Severity } from "@modelward/core";
import defaultRuleset from "@modelward/ruleset-default";
import { memoryFile, recordingContext, type Recording } from "@modelward/testing";
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
