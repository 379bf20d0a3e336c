import type { ByteSource } from "@modelward/core";
import { oldGnuSegments, paxSparseMap, readSparseMap10, storedBytesOf, type SparseMap } from "./tar-sparse.js";

// POSIX ustar / GNU / pax layout: https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06
// and https://www.gnu.org/software/tar/manual/html_node/Standard.html
const BLOCK = 512;
// GNU long names and pax records are names and a few attributes: more is an attack.
const MAX_META_BYTES = 1024 * 1024;

/** One member of a tar archive, long names and pax overrides applied. */
export interface TarEntry {
  /** Full member name (pax `path`, GNU `L` record, or ustar prefix + name). */
  name: string;
  /** Link target of symlinks and hardlinks. */
  linkName: string;
  /** Typeflag character (`0` file, `1` hardlink, `2` symlink, `5` directory…). */
  type: string;
  /** Size of the member's data. */
  size: number;
  /** Offset of its header. */
  headerOffset: number;
  /** Offset of its data. */
  dataOffset: number;
  /** Permission bits. */
  mode: number;
  /**
   * A GNU sparse member (old GNU `S` or pax 0.0/0.1/1.0): where its stored
   * bytes (`size` of them from `dataOffset`, the 1.0 map excluded) go in the
   * extracted file. Absent for every other member.
   */
  sparse?: SparseMap;
}

/**
 * Kinds of problems in a tar archive: a header `checksum` mismatch, a member
 * or header `truncated` by the end of the file, a `bad-field` (size, pax or
 * long-name record), `trailing-data` after the end marker, a `missing-end`
 * marker, `too-many-entries`, a GNU `sparse` member (expanded as tar
 * extracts it), a `sparse-map` tar readers cannot apply.
 */
export type TarIssueKind = "checksum" | "truncated" | "bad-field" | "trailing-data" | "missing-end" | "too-many-entries" | "sparse" | "sparse-map";

/** One problem seen while reading a tar archive. */
export interface TarIssue {
  /** What kind of problem. */
  kind: TarIssueKind;
  /** Says what and where. */
  message: string;
  /** Byte offset of the header concerned. */
  offset: number;
  /** Member name, when one is concerned. */
  entry?: string;
}

/** The result of {@link readTar}. */
export interface TarListing {
  /** Members in archive order (long-name and pax records folded in). */
  entries: TarEntry[];
  /** Problems seen. */
  issues: TarIssue[];
  /** `ustar`, `gnu`, `pax` or `v7`, from the first header. */
  format: string;
  /** Offset of the first byte after the end-of-archive blocks (or where parsing stopped). */
  end: number;
  /** Non-zero bytes after the end-of-archive marker: offset and length. */
  trailing: { offset: number; length: number } | undefined;
  /** Listing stopped before the end (truncation, a broken header, the entry limit). */
  truncated: boolean;
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8");

function cString(bytes: Uint8Array, decoder = utf8): string {
  const nul = bytes.indexOf(0);
  return decoder.decode(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}

/** A numeric header field: octal text, or GNU base-256 when the high bit of the first byte is set. Undefined when invalid. */
export function tarNumber(field: Uint8Array): bigint | undefined {
  if (field.length && field[0]! & 0x80) {
    // Base-256, big-endian two's complement; the first byte's 0x40 bit is the sign.
    if (field[0]! & 0x40) return undefined;
    let v = BigInt(field[0]! & 0x3f);
    for (let i = 1; i < field.length; i++) v = (v << 8n) | BigInt(field[i]!);
    return v;
  }
  const text = latin1.decode(field).replace(/[\0 ]+$/g, "").replace(/^[ ]+/, "");
  if (text === "") return 0n;
  if (!/^[0-7]+$/.test(text)) return undefined;
  return BigInt(`0o${text}`);
}

/** True when a 512-byte header's checksum field matches (unsigned or the historic signed sum). */
export function tarChecksumOk(header: Uint8Array): boolean {
  const declared = tarNumber(header.subarray(148, 156));
  if (declared === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : header[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return declared === BigInt(unsigned) || declared === BigInt(signed);
}

function parsePax(bytes: Uint8Array, into: Map<string, string>, records?: [string, string][]): boolean {
  let at = 0;
  while (at < bytes.length) {
    if (bytes[at] === 0) break;
    const space = bytes.indexOf(0x20, at);
    if (space < 0) return false;
    const length = Number(latin1.decode(bytes.subarray(at, space)));
    if (!Number.isSafeInteger(length) || length <= 0 || at + length > bytes.length) return false;
    const record = utf8.decode(bytes.subarray(space + 1, at + length - 1));
    const eq = record.indexOf("=");
    if (eq < 0) return false;
    into.set(record.slice(0, eq), record.slice(eq + 1));
    records?.push([record.slice(0, eq), record.slice(eq + 1)]);
    at += length;
  }
  return true;
}

/**
 * List a tar archive from its headers only (data is skipped, never read):
 * ustar, GNU (`L`/`K` long names, base-256 sizes) and pax (`x`/`g` records,
 * `path`/`linkpath`/`size` overrides). Every size is checked against the file
 * size; problems become issues; nothing throws on bad input.
 */
export async function readTar(source: ByteSource, options: { maxEntries: number; signal?: AbortSignal }): Promise<TarListing> {
  const entries: TarEntry[] = [];
  const issues: TarIssue[] = [];
  const size = source.size;
  let format = "v7";
  let offset = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  const pax = new Map<string, string>();
  // The local pax records in order (GNU sparse 0.0 repeats its offset/numbytes keys).
  const paxList: [string, string][] = [];
  const globalPax = new Map<string, string>();
  let truncated = false;
  let sawEnd = false;
  while (offset + BLOCK <= size) {
    options.signal?.throwIfAborted();
    const header = await source.read(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) {
      sawEnd = true;
      offset += BLOCK;
      // The second zero block is part of the marker; tolerate its absence like tar does.
      if (offset + BLOCK <= size && (await source.read(offset, offset + BLOCK)).every((b) => b === 0)) offset += BLOCK;
      break;
    }
    if (!tarChecksumOk(header)) {
      issues.push({ kind: "checksum", message: `the tar header at byte ${offset} has a wrong checksum: Python's tarfile stops reading here, GNU tar skips ahead`, offset });
      truncated = true;
      break;
    }
    const magic = latin1.decode(header.subarray(257, 265));
    const isUstar = magic.startsWith("ustar\0");
    const isGnu = magic === "ustar  \0";
    if (entries.length === 0 && format === "v7") format = isGnu ? "gnu" : isUstar ? "ustar" : "v7";
    const type = header[156] === 0 ? "0" : String.fromCharCode(header[156]!);
    const declaredSize = tarNumber(header.subarray(124, 136));
    const mode = tarNumber(header.subarray(100, 108));
    let name = cString(header.subarray(0, 100));
    if (isUstar) {
      const prefix = cString(header.subarray(345, 500));
      if (prefix) name = `${prefix}/${name}`;
    }
    let linkName = cString(header.subarray(157, 257));
    let dataSize = declaredSize;
    const override = pax.get("size") ?? globalPax.get("size");
    if (override !== undefined && /^[0-9]+$/.test(override)) dataSize = BigInt(override);
    if (dataSize === undefined) {
      issues.push({ kind: "bad-field", message: `the tar header at byte ${offset} has an invalid size field`, offset, entry: name });
      truncated = true;
      break;
    }
    // Old GNU sparse members ('S') may continue their sparse map in extension blocks
    // (isextended at 482, then 504 in each extension) before the data starts.
    let dataOffset = offset + BLOCK;
    let sparse: SparseMap | string | undefined;
    if (type === "S") {
      const first = oldGnuSegments(header, 386, 4, tarNumber);
      const realSize = tarNumber(header.subarray(483, 495));
      const segments = typeof first === "string" ? [] : first;
      sparse = typeof first === "string" ? first : realSize === undefined || realSize > BigInt(Number.MAX_SAFE_INTEGER) ? "the sparse member's real size is invalid" : { version: "S", segments, realSize: Number(realSize) };
      let extended = header[482] !== 0;
      for (let guard = 0; extended && guard < MAX_META_BYTES / BLOCK; guard++) {
        if (dataOffset + BLOCK > size) {
          sparse = "the sparse map's extension blocks run past the end of the archive";
          break;
        }
        const extension = await source.read(dataOffset, dataOffset + BLOCK);
        dataOffset += BLOCK;
        const more = oldGnuSegments(extension, 0, 21, tarNumber);
        if (typeof more === "string") sparse = more;
        else segments.push(...more);
        extended = extension[504] !== 0;
      }
      if (extended && typeof sparse !== "string") sparse = "the sparse map has more extension blocks than a reader follows";
    }
    // Sizes beyond the file are truncation: clamp to what is there, report it, stop after.
    const available = BigInt(Math.max(0, size - dataOffset));
    const fits = dataSize <= available;
    const usable = Number(fits ? dataSize : available);
    const next = dataOffset + Math.ceil(usable / BLOCK) * BLOCK;
    // 'X' is Solaris' pre-POSIX extended header, read like pax 'x' (as GNU tar does).
    if (type === "L" || type === "K" || type === "x" || type === "X" || type === "g") {
      if (!fits || usable > MAX_META_BYTES) {
        issues.push({ kind: "bad-field", message: `the ${type} record at byte ${offset} declares ${dataSize} bytes of metadata`, offset });
        truncated = true;
        break;
      }
      const body = await source.read(dataOffset, dataOffset + usable);
      if (type === "L") longName = cString(body);
      else if (type === "K") longLink = cString(body);
      else if (!parsePax(body, type === "g" ? globalPax : pax, type === "g" ? undefined : paxList)) {
        issues.push({ kind: "bad-field", message: `the pax record at byte ${offset} is malformed`, offset });
      }
      if (type !== "L" && type !== "K") format = "pax";
      offset = next;
      continue;
    }
    // tarfile applies GNU.sparse.name over path (GNU tar 1.0 writes the real name only there).
    name = pax.get("GNU.sparse.name") ?? pax.get("path") ?? longName ?? name;
    linkName = pax.get("linkpath") ?? longLink ?? linkName;
    if (type !== "S" && !"123456".includes(type)) sparse = paxSparseMap(pax, paxList);
    pax.clear();
    paxList.length = 0;
    longName = undefined;
    longLink = undefined;
    if (entries.length >= options.maxEntries) {
      issues.push({ kind: "too-many-entries", message: `more than ${options.maxEntries} members: the rest were not listed`, offset, entry: name });
      truncated = true;
      break;
    }
    // Links, directories and devices carry no data whatever their size field says (POSIX).
    const hasData = !"123456".includes(type);
    let entryOffset = dataOffset;
    let entrySize = hasData ? usable : 0;
    if (typeof sparse === "object" && sparse.version === "1.0") {
      const m = await readSparseMap10(source, dataOffset, usable);
      if (typeof m === "string") sparse = m;
      else {
        sparse.segments = m.segments;
        entryOffset += m.mapBytes;
        entrySize -= m.mapBytes;
      }
    }
    if (typeof sparse === "string") {
      issues.push({ kind: "sparse-map", message: `"${name}" is a GNU sparse file whose map tar readers cannot apply: ${sparse}`, offset, entry: name });
      sparse = undefined;
    } else if (sparse && storedBytesOf(sparse) > entrySize) {
      issues.push({ kind: "sparse-map", message: `"${name}" is a GNU sparse file whose map places ${storedBytesOf(sparse)} stored bytes, more than the ${entrySize} it stores`, offset, entry: name });
      sparse = undefined;
    } else if (sparse) {
      issues.push({ kind: "sparse", message: `"${name}" is a GNU sparse file (format ${sparse.version}, ${sparse.segments.length} data segments, ${sparse.realSize} bytes extracted)`, offset, entry: name });
    }
    entries.push({ name, linkName, type, size: entrySize, headerOffset: offset, dataOffset: entryOffset, mode: mode === undefined ? 0 : Number(mode & 0o7777n), ...(sparse ? { sparse } : {}) });
    if (!fits) {
      issues.push({ kind: "truncated", message: `"${name}" declares ${dataSize} bytes but the archive ends after ${usable}`, offset, entry: name });
      truncated = true;
      offset = size;
      break;
    }
    offset = hasData ? next : dataOffset;
  }
  if (!sawEnd && !truncated) {
    if (offset < size) {
      issues.push({ kind: "truncated", message: `the archive ends inside a header at byte ${offset}`, offset });
      truncated = true;
    } else issues.push({ kind: "missing-end", message: "the archive has no end-of-archive blocks", offset });
  }
  let trailing: TarListing["trailing"];
  if (sawEnd && offset < size) {
    // Writers pad to a 10 KiB record with zeros; anything else after the marker is hidden data.
    const CHUNK = 1024 * 1024;
    // Bounded: past this much zero padding the rest is treated as trailing data unread.
    const CHECK_LIMIT = 16 * CHUNK;
    for (let at = offset; at < size; at += CHUNK) {
      if (at - offset >= CHECK_LIMIT) {
        trailing = { offset: at, length: size - at };
        issues.push({ kind: "trailing-data", message: `${trailing.length} bytes follow ${CHECK_LIMIT} bytes of zero padding after the end-of-archive marker; they were not inspected as tar`, offset: at });
        break;
      }
      const chunk = await source.read(at, Math.min(size, at + CHUNK));
      const nz = chunk.findIndex((b) => b !== 0);
      if (nz >= 0) {
        trailing = { offset: at + nz, length: size - (at + nz) };
        issues.push({ kind: "trailing-data", message: `${trailing.length} bytes of data follow the end-of-archive marker (GNU tar -i reads them, Python's tarfile does not)`, offset: trailing.offset });
        break;
      }
    }
  }
  return { entries, issues, format, end: offset, trailing, truncated };
}
