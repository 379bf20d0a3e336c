import archivePlugin from "@modelward/analyzer-archive";
import picklePlugin from "@modelward/analyzer-pickle";
import { defaultRuleset } from "@modelward/ruleset-default";
import { AnalyzerTester, allFindings, type ExpectedFinding } from "@modelward/testing";
import type { Finding, ScanReport } from "@modelward/core";
import { readFileSync } from "node:fs";
import kerasPlugin from "./index.js";

/** The realistic composition: this plugin, the archive plugin (member dispatch) and the pickle plugin, with the default ruleset. */
export const tester = new AnalyzerTester({ plugins: [kerasPlugin, archivePlugin, picklePlugin], rulesets: [defaultRuleset] });

/** `severity ruleId path ▸ members: message` lines, for assertion messages. */
export function lines(report: ScanReport): string {
  return allFindings(report).map((f) => `${f.severity} ${f.ruleId} ${[f.location.path, ...f.location.members].join(" ▸ ")}: ${f.message}`).join("\n");
}

const RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 } as const;

/** Findings of a report matching `want` (rule, severity floor, member chain). */
export function findingsLike(report: ScanReport, want: ExpectedFinding): Finding[] {
  return allFindings(report).filter(
    (f) =>
      f.ruleId === want.ruleId &&
      (want.severity === undefined || f.severity === want.severity) &&
      (want.atLeast === undefined || RANK[f.severity] >= RANK[want.atLeast]) &&
      (want.members === undefined || JSON.stringify(want.members) === JSON.stringify(f.location.members)) &&
      (want.message === undefined || (typeof want.message === "string" ? f.message.includes(want.message) : want.message.test(f.message))),
  );
}

/** Highest severity of a report's findings (or undefined). */
export function worst(report: ScanReport): Finding["severity"] | undefined {
  return allFindings(report).reduce<Finding["severity"] | undefined>((w, f) => (w === undefined || RANK[f.severity] > RANK[w] ? f.severity : w), undefined);
}

/** Marshalled Lambda code (base64, as func_dump writes it) per Python version, from scripts/gen-lambda-code.py. */
export const LAMBDA_CODE: Record<string, Record<string, string>> = JSON.parse(readFileSync(new URL("./fixtures/lambda-code.json", import.meta.url), "utf8"));
