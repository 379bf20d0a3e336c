import { deflateRawSync } from "node:zlib";

/** One entry of a {@link buildZip} archive, with every field open to tampering. */
export interface ZipFixtureEntry {
  /** Name written in the central directory. */
  name: string;
  /** Uncompressed content. */
  data?: Uint8Array | string;
  /** `stored` (default) or `deflate`. */
  method?: "stored" | "deflate" | number;
  /** Name written in the local header (default: `name`). */
  localName?: string;
  /** General purpose flags in both headers (bit 3 is added by `dataDescriptor`). */
  flags?: number;
  /** Flags in the local header only (default: `flags`). */
  localFlags?: number;
  /** CRC-32 written in the headers (default: the real one). */
  crc32?: number;
  /** Compressed bytes to write instead of compressing `data` (corrupt streams, bombs, fake ciphertext). */
  rawCompressed?: Uint8Array;
  /** Compressed size written in the central directory (default: the real one). */
  compressedSize?: number;
  /** Uncompressed size written in the central directory (default: the real one). */
  uncompressedSize?: number;
  /** Compressed size written in the local header (default: the central one). */
  localCompressedSize?: number;
  /** Uncompressed size written in the local header (default: the central one). */
  localUncompressedSize?: number;
  /** Set bit 3, write zeros in the local header and a signed data descriptor after the data. */
  dataDescriptor?: boolean;
  /** Write sizes and offset as 0xFFFFFFFF with ZIP64 extra fields. */
  zip64?: boolean;
  /** UNIX mode (host = UNIX, mode in the external attributes' upper 16 bits). */
  unixMode?: number;
  /** Raw external attributes (default from `unixMode`, else 0). */
  externalAttributes?: number;
  /** Version made by (default 0x031e with `unixMode`, else 20). */
  versionMadeBy?: number;
  /** Extra field bytes for the local header only (e.g. alignment padding). */
  localExtra?: Uint8Array;
  /** Entry comment in the central directory. */
  comment?: string;
  /** Write the local header and data but leave the entry out of the central directory. */
  omitFromCentral?: boolean;
  /** Point the central record at the local header of the entry with this index (overlaps). */
  pointAtEntry?: number;
  /** Set bit 11 and write the name as UTF-8 (names are otherwise written as UTF-8 bytes too). */
  utf8?: boolean;
}

/** Archive-level options of {@link buildZip}. */
export interface ZipFixtureOptions {
  /** Bytes before the first entry. */
  prepend?: Uint8Array | string;
  /** Offsets account for `prepend` (as a self-extractor writer does); default false (as `cat stub.bin a.zip`). */
  prependShiftsOffsets?: boolean;
  /** Bytes after the end-of-central-directory record. */
  append?: Uint8Array | string;
  /** Archive comment. */
  comment?: string;
  /** Write a ZIP64 end-of-central-directory record and locator (placeholders in the classic record). */
  zip64?: boolean;
  /** Entry count written in the end record (default: the real one). */
  declaredEntries?: number;
  /** Directory offset written in the end record (default: the real one). */
  centralDirectoryOffset?: number;
}

const enc = new TextEncoder();
const toBytes = (v: Uint8Array | string | undefined): Uint8Array => (v === undefined ? new Uint8Array(0) : typeof v === "string" ? enc.encode(v) : v);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Folds `bytes` into a running CRC-32 register (start at 0xffffffff, finish with `^ 0xffffffff`), for data in chunks. */
export function zipCrc32Update(register: number, bytes: Uint8Array): number {
  let c = register;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return c;
}

/** CRC-32 as ZIP writes it. */
export function zipCrc32(bytes: Uint8Array): number {
  return (zipCrc32Update(0xffffffff, bytes) ^ 0xffffffff) >>> 0;
}

class Out {
  private parts: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }
  u16(v: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v & 0xffff, true);
    return this.bytes(b);
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return this.bytes(b);
  }
  u64(v: number | bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    return this.bytes(b);
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

function zip64Extra(uncompressed: number, compressed: number, offset?: number): Uint8Array {
  const o = new Out().u16(1).u16(offset === undefined ? 16 : 24).u64(uncompressed).u64(compressed);
  if (offset !== undefined) o.u64(offset);
  return o.concat();
}

/**
 * Build a ZIP archive in memory with full control over every header field,
 * for tests of readers that must survive tampering: local/central name
 * mismatches, wrong CRCs, arbitrary flag bits, data descriptors, ZIP64,
 * prepended/trailing bytes, duplicate names, symlinks, hidden and
 * overlapping entries, comments. Content is never executed by anything.
 */
export function buildZip(entries: ZipFixtureEntry[], options: ZipFixtureOptions = {}): Uint8Array {
  const out = new Out();
  const prepend = toBytes(options.prepend);
  out.bytes(prepend);
  const base = options.prependShiftsOffsets ? 0 : prepend.length;
  const central = new Out();
  const localOffsets: number[] = [];
  let count = 0;
  for (const e of entries) {
    const data = toBytes(e.data);
    const methodId = e.method === undefined || e.method === "stored" ? 0 : e.method === "deflate" ? 8 : e.method;
    const compressed = e.rawCompressed ?? (methodId === 8 ? new Uint8Array(deflateRawSync(data)) : data);
    const crc = e.crc32 ?? zipCrc32(data);
    const compSize = e.compressedSize ?? compressed.length;
    const uncompSize = e.uncompressedSize ?? data.length;
    const flags = (e.flags ?? 0) | (e.dataDescriptor ? 0x08 : 0) | (e.utf8 ? 0x800 : 0);
    const localFlags = (e.localFlags ?? e.flags ?? 0) | (e.dataDescriptor ? 0x08 : 0) | (e.utf8 ? 0x800 : 0);
    const name = enc.encode(e.name);
    const localName = enc.encode(e.localName ?? e.name);
    const offset = out.length - base;
    localOffsets.push(offset);
    const localExtra = new Out();
    if (e.zip64) localExtra.bytes(zip64Extra(e.dataDescriptor ? 0 : e.localUncompressedSize ?? uncompSize, e.dataDescriptor ? 0 : e.localCompressedSize ?? compSize));
    if (e.localExtra) localExtra.bytes(e.localExtra);
    const le = localExtra.concat();
    out
      .u32(0x04034b50)
      .u16(e.zip64 ? 45 : 20)
      .u16(localFlags)
      .u16(methodId)
      .u16(0)
      .u16(0x21)
      .u32(e.dataDescriptor ? 0 : crc)
      .u32(e.dataDescriptor ? 0 : e.zip64 ? 0xffffffff : e.localCompressedSize ?? compSize)
      .u32(e.dataDescriptor ? 0 : e.zip64 ? 0xffffffff : e.localUncompressedSize ?? uncompSize)
      .u16(localName.length)
      .u16(le.length)
      .bytes(localName)
      .bytes(le)
      .bytes(compressed);
    if (e.dataDescriptor) {
      out.u32(0x08074b50).u32(crc);
      if (e.zip64) out.u64(compSize).u64(uncompSize);
      else out.u32(compSize).u32(uncompSize);
    }
    if (e.omitFromCentral) continue;
    count++;
    const pointed = e.pointAtEntry !== undefined ? localOffsets[e.pointAtEntry] ?? offset : offset;
    const centralExtra = e.zip64 ? zip64Extra(uncompSize, compSize, pointed) : new Uint8Array(0);
    const comment = enc.encode(e.comment ?? "");
    const external = e.externalAttributes ?? (e.unixMode !== undefined ? ((e.unixMode & 0xffff) << 16) >>> 0 : 0);
    central
      .u32(0x02014b50)
      .u16(e.versionMadeBy ?? (e.unixMode !== undefined ? 0x031e : 20))
      .u16(e.zip64 ? 45 : 20)
      .u16(flags)
      .u16(methodId)
      .u16(0)
      .u16(0x21)
      .u32(crc)
      .u32(e.zip64 ? 0xffffffff : compSize)
      .u32(e.zip64 ? 0xffffffff : uncompSize)
      .u16(name.length)
      .u16(centralExtra.length)
      .u16(comment.length)
      .u16(0)
      .u16(0)
      .u32(external)
      .u32(e.zip64 ? 0xffffffff : pointed)
      .bytes(name)
      .bytes(centralExtra)
      .bytes(comment);
  }
  const cdOffset = out.length - base;
  const cd = central.concat();
  out.bytes(cd);
  const declared = options.declaredEntries ?? count;
  const cdOffsetWritten = options.centralDirectoryOffset ?? cdOffset;
  if (options.zip64) {
    const recordOffset = out.length - base;
    out.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0).u64(declared).u64(declared).u64(cd.length).u64(cdOffsetWritten);
    out.u32(0x07064b50).u32(0).u64(recordOffset).u32(1);
  }
  const comment = enc.encode(options.comment ?? "");
  out
    .u32(0x06054b50)
    .u16(0)
    .u16(0)
    .u16(options.zip64 ? 0xffff : declared)
    .u16(options.zip64 ? 0xffff : declared)
    .u32(options.zip64 ? 0xffffffff : cd.length)
    .u32(options.zip64 ? 0xffffffff : cdOffsetWritten)
    .u16(comment.length)
    .bytes(comment);
  out.bytes(toBytes(options.append));
  return out.concat();
}

/** A symlink entry: UNIX mode `lrwxrwxrwx`, the target as its data. */
export function zipSymlink(name: string, target: string): ZipFixtureEntry {
  return { name, data: target, unixMode: 0o120777 };
}
