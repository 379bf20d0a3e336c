import { createHash } from "node:crypto";
import type { ComponentRecord, FileReport, ScanReport } from "@modelward/core";

/**
 * Hands out bom-refs that are unique within one BOM. A ref that is already
 * taken (the same file listed twice in an inconsistent report) gets `#2`, `#3`…
 * in order of appearance, so the result stays deterministic.
 */
export class BomRefAllocator {
  readonly #taken = new Set<string>();

  /** `wanted`, or `wanted#n` for the first free n. */
  allocate(wanted: string): string {
    let ref = wanted;
    for (let n = 2; this.#taken.has(ref); n++) ref = `${wanted}#${n}`;
    this.#taken.add(ref);
    return ref;
  }
}

/**
 * The bom-ref of an artifact: `artifact:` + its path + `!/member` per member
 * (`artifact:model.pt!/archive/data.pkl`). With several targets the target as
 * the user wrote it comes first (`artifact:./models::model.pt`). Absolute
 * target URIs are left out on purpose: they differ between machines, and a
 * bom-ref should not.
 */
export function artifactRef(file: Pick<FileReport, "target" | "path" | "members">, report: Pick<ScanReport, "targets">): string {
  const chain = [file.path, ...file.members].join("!/");
  if (report.targets.length <= 1) return `artifact:${chain}`;
  const input = report.targets.find((t) => t.uri === file.target)?.input ?? file.target;
  return `artifact:${input}::${chain}`;
}

/** The bom-ref of a declared package: its purl, else `library:name@version`. */
export function componentRef(c: ComponentRecord): string {
  return c.purl ?? `${c.type}:${c.name}${c.version ? `@${c.version}` : ""}`;
}

/** The bom-ref of a rule's vulnerability entry (`rule:<id>`, or `rule:<id>:suppressed` for its suppressed findings). */
export function vulnerabilityRef(ruleId: string, suppressed: boolean): string {
  return `rule:${ruleId}${suppressed ? ":suppressed" : ""}`;
}

/**
 * A stable `urn:uuid` for the BOM: an RFC 4122 name-based (version 5 layout)
 * UUID over the SHA-256 of the report, so the same report always yields the
 * same serial number and a different scan a different one.
 */
export function serialNumberOf(report: ScanReport): string {
  const hex = createHash("sha256").update(JSON.stringify(report)).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
