import type { ZipEntry } from "@modelward/plugin-kit";

/** Role of a member in a torch zip, relative to the folder torch reads. */
export type MemberRole =
  | "data-pkl"
  | "metadata"
  | "storage"
  | "script-pickle"
  | "script-code"
  | "script-extra"
  | "directory"
  | "outside-prefix"
  | "other";

/**
 * How torch sees a zip: caffe2's PyTorchStreamReader takes the folder of the
 * central directory's FIRST record as the archive name and looks every record
 * up as `<archive>/<name>` with miniz's case-insensitive lookup
 * (caffe2/serialize/inline_container.cc `init`, `getRecordID`).
 */
export class TorchZipLayout {
  /** Folder of the first record, or undefined when it has no `/` (torch refuses the file). */
  readonly prefix: string | undefined;
  private readonly byLowerName = new Map<string, ZipEntry>();

  constructor(readonly entries: readonly ZipEntry[]) {
    const first = entries[0]?.name;
    const slash = first === undefined ? -1 : first.indexOf("/");
    this.prefix = slash >= 0 ? first!.slice(0, slash) : undefined;
    // Central-directory order; the first of duplicate names wins here (the archive analyzer reports duplicates).
    for (const e of entries) {
      const k = e.name.toLowerCase();
      if (!this.byLowerName.has(k)) this.byLowerName.set(k, e);
    }
  }

  /** The record torch reads for `name` (relative to the prefix), like miniz's case-insensitive locate. */
  record(name: string): ZipEntry | undefined {
    if (this.prefix === undefined) return undefined;
    return this.byLowerName.get(`${this.prefix}/${name}`.toLowerCase());
  }

  /** True when the archive has TorchScript's `code/` folder or `constants.pkl`. */
  get isTorchScript(): boolean {
    return this.entries.some((e) => {
      const rel = this.relative(e.name);
      return rel !== undefined && (rel.toLowerCase().startsWith("code/") || rel.toLowerCase() === "constants.pkl");
    });
  }

  /** `name` relative to the prefix, or undefined when it is outside it. */
  relative(name: string): string | undefined {
    if (this.prefix === undefined) return undefined;
    const p = `${this.prefix}/`;
    return name.length > p.length && name.slice(0, p.length).toLowerCase() === p.toLowerCase() ? name.slice(p.length) : undefined;
  }

  /** What role a member plays (TorchScript members only count in TorchScript archives). */
  role(entry: ZipEntry, torchScript: boolean): MemberRole {
    if (entry.isDirectory) return "directory";
    const rel = this.relative(entry.name);
    if (rel === undefined) return "outside-prefix";
    const r = rel.toLowerCase();
    if (r === "data.pkl") return "data-pkl";
    if (METADATA.has(r)) return "metadata";
    if (/^data\/[^/]+$/.test(r)) return "storage";
    if (torchScript) {
      if (/^(constants|\.data)\/[^/]+$/.test(r)) return "storage";
      if (r === "constants.pkl" || r === "bytecode.pkl" || (r.startsWith("code/") && r.endsWith(".debug_pkl"))) return "script-pickle";
      if (r.startsWith("code/") && r.endsWith(".py")) return "script-code";
      if (r.startsWith("extra/") || r === ".data/version" || r.startsWith(".data/")) return "script-extra";
    }
    return "other";
  }
}

// Records torch.save / torch.jit.save write beside data.pkl and the storages
// (torch/serialization.py `_save`, PyTorchStreamWriter::writeEndOfFile).
const METADATA = new Set(["version", ".data/version", "byteorder", ".data/serialization_id", ".format_version", ".storage_alignment"]);

/** Names that look like a torch zip: a `data.pkl` or `constants.pkl`, or a `version`/`byteorder` record in a folder. */
export function looksLikeTorchZip(entries: readonly ZipEntry[]): boolean {
  return entries.some((e) => /(^|\/)(data|constants)\.pkl$/i.test(e.name) || /\/(version|byteorder)$/i.test(e.name));
}

/** torch.package archives (`.data/extern_modules`): loaded by PackageImporter, not torch.load. */
export function isTorchPackage(entries: readonly ZipEntry[]): boolean {
  return entries.some((e) => /(^|\/)\.data\/extern_modules$/.test(e.name));
}
