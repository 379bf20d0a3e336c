import type { ScanVerdict, Severity } from "@modelward/core";

/** ANSI styling that turns into plain text when colour is off. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  severity(severity: Severity, s: string): string;
  verdict(verdict: ScanVerdict, s: string): string;
}

const wrap = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const SEVERITY_CODES: Record<Severity, string> = { critical: "1;97;41", high: "1;31", medium: "33", low: "36", info: "2" };
const VERDICT_CODES: Record<ScanVerdict, string> = { alert: "1;31", warning: "1;33", pass: "1;32", none: "1;35" };

/** A style for a colour terminal or for plain text. */
export function createStyle(color: boolean): Style {
  if (!color) {
    const id = (s: string) => s;
    return { bold: id, dim: id, severity: (_v, s) => s, verdict: (_v, s) => s };
  }
  return {
    bold: wrap("1"),
    dim: wrap("2"),
    severity: (v, s) => wrap(SEVERITY_CODES[v])(s),
    verdict: (v, s) => wrap(VERDICT_CODES[v])(s),
  };
}
