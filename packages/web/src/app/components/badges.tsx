import type { PlatformSeverity } from "@modelward/client";
import type { Severity } from "@modelward/core";

/** The Alert / Warning / Pass badge: the word is always written, colour only repeats it. */
export function VerdictBadge({ verdict, score }: { verdict: PlatformSeverity; score?: number | null }) {
  return (
    <span class={`badge verdict-${verdict.toLowerCase()}`} data-verdict={verdict}>
      {verdict}
      {score ? <span class="score"> · score {score}/3</span> : null}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span class={`badge severity-${severity}`}>{severity}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{status}</span>;
}
