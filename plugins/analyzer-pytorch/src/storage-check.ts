import type { AnalyzerContext } from "@modelward/core";
import type { ZipEntry } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";
import type { TorchPickleRun } from "./storage-refs.js";
import type { TorchZipLayout } from "./zip-layout.js";

// Findings of one kind per archive; a broken checkpoint with thousands of tensors says it in the count.
const MAX_FINDINGS = 20;

/**
 * Checks every storage a pickle references against the records torch would
 * read for it (`<prefix>/data/<key>`; TorchScript constants also under
 * `constants/` and `.data/`): the record must exist and hold exactly
 * numel × element size bytes. Returns the records that are referenced.
 */
export function checkStorages(
  ctx: AnalyzerContext<unknown>,
  layout: TorchZipLayout,
  runs: readonly { entry: ZipEntry; run: TorchPickleRun }[],
  torchScript: boolean,
  properties: Record<string, string | number | boolean>,
): Set<ZipEntry> {
  const referenced = new Set<ZipEntry>();
  let missing = 0;
  let mismatched = 0;
  let storages = 0;
  let elements = 0n;
  for (const { entry, run } of runs) {
    const folders = torchScript ? (entry.name.toLowerCase().endsWith("constants.pkl") ? ["constants", ".data", "data"] : ["data", ".data"]) : ["data"];
    for (const ref of run.storages.values()) {
      storages++;
      if (ref.numel !== undefined) elements += ref.numel;
      const record = folders.map((f) => layout.record(`${f}/${ref.key}`)).find((r) => r !== undefined);
      if (!record) {
        if (++missing <= MAX_FINDINGS) {
          ctx.report({
            ruleId: RULES.missingStorage.id,
            message: `${entry.name} references storage "${ref.key}" (${ref.type}, ${ref.numel ?? "?"} elements) but "${layout.prefix ?? ""}/${folders[0]}/${ref.key}" is missing`,
            position: { byteOffset: ref.offset },
            evidence: { member: entry.name, key: ref.key, type: ref.type },
          });
        }
        continue;
      }
      referenced.add(record);
      if (ref.elementSize === undefined || ref.numel === undefined) continue;
      const expected = ref.numel * BigInt(ref.elementSize);
      const actual = BigInt(record.uncompressedSize);
      if (expected === actual) continue;
      if (++mismatched > MAX_FINDINGS) continue;
      const small = actual < expected;
      ctx.report({
        ruleId: RULES.storageSizeMismatch.id,
        severity: small ? "high" : "low",
        message: small
          ? `"${record.name}" holds ${actual} bytes but ${entry.name} declares ${ref.numel} × ${ref.elementSize}-byte elements (${expected} bytes): torch releases without the record size check wrap the short buffer at the declared size, so tensor reads run past it`
          : `"${record.name}" holds ${actual} bytes, more than the ${expected} bytes its tensor declares; the rest is never read by torch`,
        position: { byteOffset: record.localHeaderOffset },
        evidence: { member: record.name, key: ref.key, declaredBytes: expected.toString(), recordBytes: actual.toString() },
      });
    }
  }
  if (missing > MAX_FINDINGS) ctx.incomplete(`${missing - MAX_FINDINGS} more missing storages not reported one by one`);
  if (mismatched > MAX_FINDINGS) ctx.incomplete(`${mismatched - MAX_FINDINGS} more storage size mismatches not reported one by one`);
  properties.storages = storages;
  if (elements <= BigInt(Number.MAX_SAFE_INTEGER)) properties.parameters = Number(elements);
  return referenced;
}
