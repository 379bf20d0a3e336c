import type { AnalyzerContext, ByteSource } from "@modelward/core";
import { openEntryData, openZip, sniff, windowSource, type FormatHandler, type ZipArchive, type ZipEntry } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";

// metadata.json is a few hundred bytes.
const MAX_METADATA_BYTES = 1024 * 1024;
// What keras/src/saving/saving_lib.py writes into a .keras archive.
const KERAS_MEMBER = /^(config\.json|metadata\.json|model\.weights\.(h5|npz|json)|assets\/.*|assets)$/;
const CODE_MEMBER = /\.(py|pyc|pyo|so|dll|dylib|exe|sh|bat|ps1|js|pkl|pickle|pt|pth|bin|joblib|dill)$/i;

/**
 * Keras 3 `.keras` archives (a zip of `config.json`, `metadata.json`,
 * `model.weights.h5` and `assets/`). Container-level checks only: the archive
 * analyzer hands every member to the engine, where `config.json` is walked by
 * the config handler and the weights file by the HDF5 handler, so nothing is
 * reported twice.
 */
export const kerasZipHandler: FormatHandler = {
  formats: ["keras"],
  match(file, head, tail) {
    try {
      if (!sniff(head, tail).includes("zip")) return false;
      const text = Buffer.from(tail).toString("latin1");
      return text.includes("config.json") && (text.includes("metadata.json") || text.includes("model.weights.")) ? true : file.extension === "keras";
    } catch {
      return false;
    }
  },
  async analyze(file, ctx) {
    const archive = await openZip(file, { maxEntries: ctx.limits.maxMembersPerContainer, maxCentralDirectoryBytes: ctx.limits.maxReadBytes, signal: ctx.signal });
    const byName = new Map(archive.entries.map((e) => [e.name, e]));
    const properties: Record<string, string | number | boolean> = { entries: archive.entries.length };
    if (!byName.has("config.json")) {
      ctx.report({ ruleId: RULES.malformedConfig.id, message: `the .keras archive has no config.json: Keras cannot load it, so it is not the model it claims to be`, evidence: { entries: archive.entries.length } });
    }
    const metadata = byName.get("metadata.json");
    if (metadata) {
      const text = await readMember(archive, metadata, ctx);
      try {
        const m = text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
        if (m && typeof m.keras_version === "string") properties.kerasVersion = m.keras_version;
        if (m && typeof m.date_saved === "string") properties.dateSaved = m.date_saved;
      } catch {
        ctx.report({ ruleId: RULES.malformedConfig.id, severity: "low", message: "metadata.json is not valid JSON", evidence: { member: metadata.name } });
      }
    }
    for (const entry of archive.entries) {
      if (KERAS_MEMBER.test(entry.name) || entry.isDirectory) continue;
      const code = CODE_MEMBER.test(entry.name);
      ctx.report({
        ruleId: RULES.unexpectedMember.id,
        severity: code ? "medium" : "low",
        message: `"${entry.name}" is not a member Keras writes${code ? " and its name says code or a serialized object" : ""}; it was analyzed as its own member`,
        evidence: { member: entry.name },
      });
    }
    if (archive.truncated) ctx.incomplete("the .keras listing is incomplete; members beyond it were not checked");
    ctx.describe({ format: "keras", framework: "keras", properties });
  },
};

async function readMember(archive: ZipArchive, entry: ZipEntry, ctx: AnalyzerContext<unknown>): Promise<string | undefined> {
  if (entry.dataOffset === undefined || entry.uncompressedSize > MAX_METADATA_BYTES) return undefined;
  let source: ByteSource;
  if (entry.method === 0 && !entry.encryptionFlag) source = windowSource(archive.source, entry.dataOffset, Math.min(entry.compressedSize, archive.source.size - entry.dataOffset));
  else {
    const data = await openEntryData(archive, entry, { maxReadBytes: ctx.limits.maxReadBytes, bufferLimit: MAX_METADATA_BYTES, verifyStoredUpTo: 0, signal: ctx.signal });
    if (!data.ok) return undefined;
    source = data.source;
  }
  return new TextDecoder().decode(await source.read(0, Math.min(source.size, MAX_METADATA_BYTES)));
}
