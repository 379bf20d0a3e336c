import type { AnalyzerContext, ByteSource } from "@modelward/core";
import { openZip, sniff, type ZipArchive, type ZipEntry } from "@modelward/plugin-kit";
import { headKind, importsGlobal, memberKind, namesGlobal, strongMagicKind, type MemberKind } from "./member-kind.js";
import type { FormatHandler } from "@modelward/plugin-kit";
import { RULES } from "./rules.js";
import { checkStorages } from "./storage-check.js";
import { countTensors, runTorchPickle, type TorchPickleRun } from "./storage-refs.js";
import { scanTorchScriptCode } from "./torchscript-scan.js";
import { entrySource, lazyEntrySource, readText, zipMemberKey } from "./zip-member-source.js";
import { TorchZipLayout, isTorchPackage, looksLikeTorchZip, type MemberRole } from "./zip-layout.js";

// Formats torch.save writes today (kMinSupportedFileFormatVersion..kMaxSupportedFileFormatVersion
// in caffe2/serialize/versions.h); a value outside is refused by torch.
const MIN_VERSION = 1;
const MAX_VERSION = 20;
// Members other than storages whose content is decoded for hidden pickles (up to 64 KB each);
// beyond it the rest is incomplete. Storages cost a 256-byte read each and are all probed.
const MAX_PROBED_MEMBERS = 10_000;
// Deflated members are inflated whole for a probe only when this small; larger ones lazily.
const PROBE_BUFFER = 1024 * 1024;
// Head of each storage decoded for a pickle import: enough for any module path, and 256
// storages cost 64 KB of reads.
const STORAGE_PROBE = 256;

/**
 * PyTorch zip checkpoints (torch.save ≥ 1.6, TorchScript, Lightning .ckpt,
 * Hugging Face pytorch_model.bin), recognised by content. Container-level
 * checks; the pickles torch unpickles are handed to the engine under the archive
 * analyzer's name and key (analyzed once, whichever hands them first), and the
 * storages data.pkl references are handed as raw data, never sniffed.
 */
export const torchZipHandler: FormatHandler = {
  match(file, head, tail) {
    try {
      // torch.serialization._is_zipfile checks for a local header at offset 0 only; anything else
      // (a zip with prepended data, a tar holding a zip) takes torch's legacy pickle path instead.
      if (!sniff(head, tail).includes("zip")) return false;
      if (["pt", "pth", "bin", "ckpt", "pkl", "mar", "ptl", "tar"].includes(file.extension)) return true;
      const text = Buffer.from(head).toString("latin1") + Buffer.from(tail).toString("latin1");
      return /data\.pkl|constants\.pkl|\/version|byteorder|\.data\/serialization_id/.test(text);
    } catch {
      return false;
    }
  },
  async analyze(file, ctx) {
    const archive = await openZip(file, { maxEntries: ctx.limits.maxMembersPerContainer, maxCentralDirectoryBytes: ctx.limits.maxReadBytes, signal: ctx.signal });
    if (isTorchPackage(archive.entries)) {
      // Its pickles and sources are members the archive analyzer hands over; torch.load's layout does not apply.
      ctx.describe({ format: "pytorch", framework: "pytorch", properties: { layout: "torch.package", entries: archive.entries.length } });
      return;
    }
    if (!looksLikeTorchZip(archive.entries)) return;
    await analyzeTorchZip(ctx, archive);
  },
};

async function analyzeTorchZip(ctx: AnalyzerContext<unknown>, archive: ZipArchive): Promise<void> {
  const layout = new TorchZipLayout(archive.entries);
  const torchScript = layout.isTorchScript;
  const properties: Record<string, string | number | boolean> = { entries: archive.entries.length };
  if (archive.truncated) ctx.incomplete("the zip listing is incomplete, so the layout was checked on the entries listed only");

  let dataPkl = layout.record("data.pkl");
  if (layout.prefix === undefined) {
    dataPkl = archive.entries.find((e) => /(^|\/)data\.pkl$/i.test(e.name));
    ctx.report({
      ruleId: RULES.malformedLayout.id,
      severity: "low",
      message: `the first record "${archive.entries[0]?.name ?? ""}" is not in a folder: torch.load refuses the file ("file in archive is not in a subdirectory"), other loaders may not`,
      evidence: { firstRecord: archive.entries[0]?.name ?? "" },
    });
  } else {
    properties.prefix = layout.prefix;
    if (!dataPkl) {
      const elsewhere = archive.entries.find((e) => /(^|\/)data\.pkl$/i.test(e.name));
      ctx.report({
        ruleId: RULES.malformedLayout.id,
        message: `torch looks for "${layout.prefix}/data.pkl" (the folder of the first record) but it is missing${elsewhere ? `; "${elsewhere.name}" is where other tools would look` : ""}`,
        evidence: { expected: `${layout.prefix}/data.pkl`, ...(elsewhere ? { found: elsewhere.name } : {}) },
      });
      dataPkl = elsewhere;
    } else if (dataPkl.name !== `${layout.prefix}/data.pkl`) {
      ctx.report({
        ruleId: RULES.malformedLayout.id,
        severity: "low",
        message: `torch finds "${dataPkl.name}" as "${layout.prefix}/data.pkl" by its case-insensitive lookup`,
        evidence: { member: dataPkl.name },
      });
    }
    await checkMetadata(ctx, archive, layout, properties, torchScript);
  }

  const runs: { entry: ZipEntry; run: TorchPickleRun }[] = [];
  for (const [name, entry] of [["data.pkl", dataPkl], ["constants.pkl", torchScript ? layout.record("constants.pkl") : undefined]] as const) {
    if (!entry) continue;
    const opened = await entrySource(archive, entry, ctx);
    if ("reason" in opened) {
      ctx.incomplete(`${name} "${entry.name}" not analyzed: ${opened.reason}`);
      continue;
    }
    const run = await runTorchPickle(opened.source, { legacy: false, signal: ctx.signal });
    runs.push({ entry, run });
    for (const b of run.bad.slice(0, 10)) {
      ctx.report({ ruleId: RULES.malformedLayout.id, message: `${entry.name}: ${b.why} at byte ${b.offset}: torch's persistent_load raises here, after everything before it has run`, position: { byteOffset: b.offset }, evidence: { member: entry.name } });
    }
    if (name === "data.pkl") {
      properties.tensors = countTensors(run.result);
      if (run.result.globals.some((g) => /^(pytorch_lightning|lightning)(\.|$)/.test(g.module)) || (await readText(opened.source, 64 * 1024)).includes("pytorch-lightning_version")) properties.lightning = true;
    }
  }

  const referenced = checkStorages(ctx, layout, runs, torchScript, properties);
  await checkMembers(ctx, archive, layout, torchScript, referenced, dataPkl);
  if (torchScript) await scanTorchScriptCode(ctx, archive, layout);
  ctx.describe({ format: torchScript ? "torchscript" : "pytorch", framework: "pytorch", properties });
}

async function checkMetadata(ctx: AnalyzerContext<unknown>, archive: ZipArchive, layout: TorchZipLayout, properties: Record<string, string | number | boolean>, torchScript: boolean): Promise<void> {
  const versionEntry = layout.record(".data/version") ?? layout.record("version");
  if (!versionEntry) {
    ctx.report({ ruleId: RULES.malformedLayout.id, message: `no "${layout.prefix}/version" record: torch.load refuses the archive, other tools read it anyway`, evidence: { prefix: layout.prefix ?? "" } });
  } else {
    const opened = await entrySource(archive, versionEntry, ctx);
    const text = "source" in opened ? (await readText(opened.source, 64)).trim() : "";
    const version = /^\d{1,6}$/.test(text) ? Number(text) : undefined;
    if (version === undefined || version < MIN_VERSION || version > MAX_VERSION) {
      ctx.report({ ruleId: RULES.malformedLayout.id, message: `the version record "${versionEntry.name}" holds ${JSON.stringify(text.slice(0, 32))}, not a format version torch accepts`, evidence: { member: versionEntry.name, value: text.slice(0, 32) } });
    } else properties.version = version;
  }
  const byteorder = layout.record("byteorder");
  if (byteorder) {
    const opened = await entrySource(archive, byteorder, ctx);
    const text = "source" in opened ? await readText(opened.source, 16) : "";
    if (text !== "little" && text !== "big") {
      ctx.report({ ruleId: RULES.malformedLayout.id, message: `the byteorder record holds ${JSON.stringify(text)}: torch raises "Unknown endianness type"`, evidence: { member: byteorder.name, value: text } });
    } else properties.byteorder = text;
  } else if (!torchScript) properties.byteorder = "little (default)";
}

const PICKLE_ROLES: ReadonlySet<MemberRole> = new Set(["data-pkl", "script-pickle"]);
// Sources and native libraries outside TorchScript's code/ folder: content another loader may run.
const CODE_NAME = /\.(py|pyc|sh|bat|ps1|so|dll|dylib|exe|js)$/i;

async function checkMembers(
  ctx: AnalyzerContext<unknown>,
  archive: ZipArchive,
  layout: TorchZipLayout,
  torchScript: boolean,
  referenced: ReadonlySet<ZipEntry>,
  dataPkl: ZipEntry | undefined,
): Promise<void> {
  const outside = new Set<string>();
  let probed = 0;
  for (const entry of archive.entries) {
    if (ctx.signal.aborted) {
      ctx.incomplete("aborted while checking members");
      return;
    }
    const role = layout.role(entry, torchScript);
    if (role === "directory") continue;
    // The pickles torch unpickles are handed on here, so they are analyzed without the archive analyzer too.
    if (entry === dataPkl || PICKLE_ROLES.has(role)) {
      await handMember(ctx, archive, entry);
      continue;
    }
    if (role === "outside-prefix") outside.add(entry.name.includes("/") ? entry.name.slice(0, entry.name.indexOf("/")) : entry.name);
    const isReferenced = referenced.has(entry);
    if (isReferenced) {
      const kind = await probeStorage(archive, entry, ctx);
      if (kind === undefined) continue;
      if (kind === "other") {
        await handMember(ctx, archive, entry, "tensor storage data.pkl references: torch reads it as numbers, never unpickles it");
        continue;
      }
      reportMember(ctx, layout, entry, role, kind, true);
      if (kind === "pickle") await handMember(ctx, archive, entry);
      continue;
    }
    if (role !== "storage" && probed++ === MAX_PROBED_MEMBERS) ctx.incomplete(`more than ${MAX_PROBED_MEMBERS} non-storage members; the rest were not checked for hidden content`);
    if (role !== "storage" && probed > MAX_PROBED_MEMBERS) continue;
    const kind = await probe(archive, entry, role, ctx);
    if (kind === undefined) continue;
    reportMember(ctx, layout, entry, role, kind, false);
    if (kind === "pickle") await handMember(ctx, archive, entry);
  }
  if (outside.size > 0 && layout.prefix !== undefined) {
    ctx.report({
      ruleId: RULES.unexpectedMember.id,
      message: `members outside the folder torch reads ("${layout.prefix}/"): ${[...outside].slice(0, 10).map((n) => `"${n}"`).join(", ")}: torch ignores them, other tools may load them`,
      evidence: { prefix: layout.prefix, folders: [...outside].slice(0, 10).join(",") },
    });
  }
}

/**
 * Hands a member to the engine under the archive analyzer's name and key, so it is analyzed
 * once whichever of the two hands it first. Raw data (`rawData` set) is recorded, never sniffed.
 */
async function handMember(ctx: AnalyzerContext<unknown>, archive: ZipArchive, entry: ZipEntry, rawData?: string): Promise<void> {
  const key = zipMemberKey(entry);
  if (rawData !== undefined) {
    await ctx.scanNested({ name: entry.name, key, rawData, ...sourceMethods(lazyEntrySource(archive, entry, ctx)) });
    return;
  }
  const opened = await entrySource(archive, entry, ctx);
  if ("reason" in opened) ctx.incomplete(`"${entry.name}" not handed on for analysis: ${opened.reason}`);
  else await ctx.scanNested({ name: entry.name, key, ...sourceMethods(opened.source) });
}

const sourceMethods = (s: ByteSource): ByteSource => ({ size: s.size, read: (a, b) => s.read(a, b), stream: (a, b) => s.stream(a, b) });

/**
 * A storage data.pkl references is numbers torch maps, never parsed: it is taken for
 * something else only on evidence numbers do not produce by chance: a magic of four bytes
 * or more (an executable, an archive), or a head the pickle VM decodes into an import of
 * identifier names. A PROTO byte alone is not such evidence (a bf16 1.0 is `80 3f`).
 */
async function probeStorage(archive: ZipArchive, entry: ZipEntry, ctx: AnalyzerContext<unknown>): Promise<MemberKind | undefined> {
  const opened = await entrySource(archive, entry, ctx, PROBE_BUFFER);
  if ("reason" in opened) {
    ctx.incomplete(`storage "${entry.name}" not checked for hidden content: ${opened.reason}`);
    return undefined;
  }
  const head = await opened.source.read(0, Math.min(opened.source.size, STORAGE_PROBE));
  const strong = strongMagicKind(head);
  if (strong !== "other") return strong;
  return (await importsGlobal(head, ctx.signal)) ? "pickle" : "other";
}

// Unreferenced storages are probed by their first bytes only (never read whole): a pickle or an
// executable hidden there starts with its magic; other members get the full bounded probe.
async function probe(archive: ZipArchive, entry: ZipEntry, role: MemberRole, ctx: AnalyzerContext<unknown>): Promise<MemberKind | undefined> {
  const opened = await entrySource(archive, entry, ctx, PROBE_BUFFER);
  if ("reason" in opened) {
    ctx.incomplete(`member "${entry.name}" not checked for hidden content: ${opened.reason}`);
    return undefined;
  }
  if (role === "storage") {
    const head = await opened.source.read(0, Math.min(opened.source.size, STORAGE_PROBE));
    if (headKind(head) === "other" && !(await namesGlobal(head, ctx.signal))) return "other";
  }
  return memberKind(opened.source, ctx.signal);
}

function reportMember(ctx: AnalyzerContext<unknown>, layout: TorchZipLayout, entry: ZipEntry, role: MemberRole, kind: MemberKind, isReferenced: boolean): void {
  const position = { byteOffset: entry.localHeaderOffset };
  const name = entry.name;
  if (kind === "pickle") {
    const where =
      role === "storage" ? (isReferenced ? "a tensor storage" : "an unreferenced storage") : role === "outside-prefix" ? `a member outside "${layout.prefix ?? ""}/"` : role === "metadata" ? "a metadata record" : /\.(pkl|pickle)$/i.test(name) ? "a second pickle" : "a non-pickle member";
    ctx.report({
      ruleId: RULES.hiddenPickle.id,
      message: `"${name}" is ${where} but holds a pickle: torch.load(pickle_file=…) chains and extension-routed tools load it; its content is reported on the member itself`,
      position,
      evidence: { member: name, role },
    });
    return;
  }
  if (kind === "executable") {
    ctx.report({ ruleId: RULES.unexpectedMember.id, severity: "high", message: `"${name}" is an executable inside a PyTorch archive`, position, evidence: { member: name, kind } });
    return;
  }
  if (kind === "archive") {
    ctx.report({ ruleId: RULES.unexpectedMember.id, message: `"${name}" is a nested archive inside a PyTorch archive (torch never writes one); its members are analyzed by the archive analyzer`, position, evidence: { member: name, kind } });
    return;
  }
  if (role === "storage" && !isReferenced) {
    ctx.report({ ruleId: RULES.unexpectedMember.id, severity: "low", message: `storage "${name}" is not referenced by any tensor of data.pkl`, position, evidence: { member: name } });
  } else if (role === "other") {
    const code = CODE_NAME.test(name);
    ctx.report({
      ruleId: RULES.unexpectedMember.id,
      severity: code ? "medium" : "low",
      message: code ? `"${name}" is code or a native library, which torch never writes into a checkpoint` : `"${name}" is not a record torch writes`,
      position,
      evidence: { member: name, ...(code ? { kind: "code" } : {}) },
    });
  }
}
