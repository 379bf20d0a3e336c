import { displayPath, type FileReport, type Finding } from "@modelward/core";
import type { ComponentIndex } from "./components.js";

/** A CycloneDX 1.6 `evidence.occurrences` item: where inside the artifact a finding was made. */
export interface OccurrenceJson {
  location: string;
  line?: number;
  offset?: number;
  symbol?: string;
  additionalContext?: string;
}

// Evidence keys that name what the finding is about (the global, op, package or layer), in order of preference.
const SYMBOL_KEYS = ["global", "call", "name", "op", "package", "module", "className", "layer"] as const;

function symbolOf(finding: Finding): string | undefined {
  const { module, name } = finding.evidence;
  // Pickle and Keras globals are reported as module + name: the symbol is the dotted global.
  if (typeof module === "string" && typeof name === "string" && module && name) return `${module}.${name}`.slice(0, 500);
  for (const key of SYMBOL_KEYS) {
    const v = finding.evidence[key];
    if (typeof v === "string" && v.length > 0) return v.slice(0, 500);
  }
  return undefined;
}

/** Location text: the artifact chain, then the JSON pointer or notebook cell when the finding has one. */
function locationOf(finding: Finding): string {
  const loc = finding.location;
  const where = [loc.jsonPointer !== undefined ? `#${loc.jsonPointer}` : "", loc.cell !== undefined ? ` cell ${loc.cell}` : ""].join("");
  return `${displayPath(loc)}${where}`;
}

const nonNegativeInteger = (n: number | undefined) => (n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined);

/**
 * The occurrences of every finding (info ones too: they are evidence, not
 * vulnerabilities) by the bom-ref of the component of its artifact: location
 * (artifact chain, JSON pointer, cell), line, byte offset, the symbol (the
 * global, op or package it names) and the rule with the message as context.
 * Added to the JSON after normalisation: the CycloneDX library (10.x) has no
 * model for occurrences.
 */
export function occurrencesByRef(files: readonly FileReport[], components: ComponentIndex): Map<string, OccurrenceJson[]> {
  const out = new Map<string, OccurrenceJson[]>();
  for (const file of files) {
    const component = components.byFile.get(file);
    if (!component || file.findings.length === 0) continue;
    const list = file.findings.map((finding): OccurrenceJson => {
      const line = nonNegativeInteger(finding.location.line);
      const offset = nonNegativeInteger(finding.location.byteOffset);
      const symbol = symbolOf(finding);
      return {
        location: locationOf(finding),
        ...(line !== undefined ? { line } : {}),
        ...(offset !== undefined ? { offset } : {}),
        ...(symbol !== undefined ? { symbol } : {}),
        additionalContext: `${finding.severity} ${finding.ruleId}: ${finding.message}`,
      };
    });
    out.set(component.bomRef.toString(), list);
  }
  return out;
}
