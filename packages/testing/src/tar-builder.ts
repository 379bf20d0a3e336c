/** One member of a {@link buildTar} archive. */
export interface TarFixtureEntry {
  /** Member name; names over 100 bytes use a GNU `L` record or a pax `path`, per the archive format. */
  name: string;
  /** Content of a regular file. */
  data?: Uint8Array | string;
  /** `file` (default), `dir`, `symlink`, `hardlink`, or a raw typeflag character. */
  type?: "file" | "dir" | "symlink" | "hardlink" | string;
  /** Link target of a symlink or hardlink. */
  linkName?: string;
  /** Mode bits (default 0o644, 0o755 for directories, 0o777 for links). */
  mode?: number;
  /** Checksum written in the header (default: the correct one). */
  checksum?: number;
  /** Size written in the header (default: the real one). */
  size?: number;
  /** Extra pax records for this member (`x` header). */
  pax?: Record<string, string>;
  /**
   * Write the member as a GNU sparse file: `data` is the stored bytes (the
   * segments' contents, in order), `segments` the [offset, length] pairs
   * where they belong, `realSize` the extracted size. `S` is the old GNU
   * header (4 segments in the header, more in extension blocks); `0.0`,
   * `0.1` and `1.0` the pax formats GNU tar writes (`--sparse-version`).
   */
  sparse?: { version: "S" | "0.0" | "0.1" | "1.0"; segments: [number, number][]; realSize: number };
}

/** Archive-level options of {@link buildTar}. */
export interface TarFixtureOptions {
  /** `ustar` (default; long names split into prefix/name), `gnu` (`L`/`K` records) or `pax`. */
  format?: "ustar" | "gnu" | "pax";
  /** Leave out the two zero blocks that end the archive. */
  omitEndBlocks?: boolean;
  /** Bytes after the end blocks. */
  append?: Uint8Array | string;
}

const enc = new TextEncoder();
const toBytes = (v: Uint8Array | string | undefined): Uint8Array => (v === undefined ? new Uint8Array(0) : typeof v === "string" ? enc.encode(v) : v);
const BLOCK = 512;

function octal(value: number, width: number): Uint8Array {
  // width-1 octal digits and a NUL, as POSIX ustar writes numeric fields.
  return enc.encode(value.toString(8).padStart(width - 1, "0").slice(-(width - 1)) + "\0");
}

function header(fields: { name: Uint8Array; mode: number; size: number; type: string; linkName: Uint8Array; prefix?: Uint8Array; checksum?: number; gnuSparse?: { segments: [number, number][]; realSize: number; extended: boolean } }): Uint8Array {
  const h = new Uint8Array(BLOCK);
  h.set(fields.name.subarray(0, 100), 0);
  h.set(octal(fields.mode, 8), 100);
  h.set(octal(0, 8), 108);
  h.set(octal(0, 8), 116);
  h.set(octal(fields.size, 12), 124);
  h.set(octal(0, 12), 136);
  h.fill(0x20, 148, 156);
  h[156] = fields.type.charCodeAt(0);
  h.set(fields.linkName.subarray(0, 100), 157);
  h.set(enc.encode("ustar\0"), 257);
  h.set(enc.encode("00"), 263);
  if (fields.prefix) h.set(fields.prefix.subarray(0, 155), 345);
  if (fields.gnuSparse) {
    // Old GNU layout: magic "ustar  \0", up to 4 sparse entries at 386, isextended at 482, real size at 483.
    h.set(enc.encode("ustar  \0"), 257);
    fields.gnuSparse.segments.slice(0, 4).forEach(([o, n], i) => {
      h.set(octal(o, 12), 386 + i * 24);
      h.set(octal(n, 12), 386 + i * 24 + 12);
    });
    h[482] = fields.gnuSparse.extended ? 1 : 0;
    h.set(octal(fields.gnuSparse.realSize, 12), 483);
  }
  let sum = 0;
  for (const b of h) sum += b;
  h.set(enc.encode((fields.checksum ?? sum).toString(8).padStart(6, "0").slice(-6) + "\0 "), 148);
  return h;
}

function padded(data: Uint8Array): Uint8Array[] {
  const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
  return [data, new Uint8Array(pad)];
}

function paxRecords(records: Record<string, string> | [string, string][]): Uint8Array {
  let text = "";
  for (const [k, v] of Array.isArray(records) ? records : Object.entries(records)) {
    const body = ` ${k}=${v}\n`;
    let len = body.length + 1;
    while (String(len).length + enc.encode(body).length !== len) len = String(len).length + enc.encode(body).length;
    text += `${len}${body}`;
  }
  return enc.encode(text);
}

/**
 * Build a tar archive in memory (ustar, GNU or pax flavour) with regular
 * files, directories, symlinks, hardlinks, long names, `../` paths and
 * tampered checksums or sizes, for archive-reader tests.
 */
export function buildTar(entries: TarFixtureEntry[], options: TarFixtureOptions = {}): Uint8Array {
  const format = options.format ?? "ustar";
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = toBytes(e.data);
    const typeName = e.type ?? "file";
    const type = { file: "0", dir: "5", symlink: "2", hardlink: "1" }[typeName] ?? typeName;
    const linkName = enc.encode(e.linkName ?? "");
    let name = enc.encode(e.sparse?.version === "1.0" ? `GNUSparseFile.0/${e.name}` : e.name);
    let prefix: Uint8Array | undefined;
    const pax: Record<string, string> = { ...e.pax };
    // Repeated pax keys (GNU sparse 0.0's offset/numbytes pairs), written after `pax`.
    const paxRepeated: [string, string][] = [];
    let stored = data;
    const sp = e.sparse;
    if (sp?.version === "0.0" || sp?.version === "0.1") {
      pax["GNU.sparse.size"] = String(sp.realSize);
      pax["GNU.sparse.numblocks"] = String(sp.segments.length);
      if (sp.version === "0.1") {
        pax["GNU.sparse.name"] = e.name;
        pax["GNU.sparse.map"] = sp.segments.flat().join(",");
      } else for (const [o, n] of sp.segments) paxRepeated.push(["GNU.sparse.offset", String(o)], ["GNU.sparse.numbytes", String(n)]);
    } else if (sp?.version === "1.0") {
      pax["GNU.sparse.major"] = "1";
      pax["GNU.sparse.minor"] = "0";
      pax["GNU.sparse.name"] = e.name;
      pax["GNU.sparse.realsize"] = String(sp.realSize);
      const map = enc.encode(`${sp.segments.length}\n${sp.segments.map(([o, n]) => `${o}\n${n}\n`).join("")}`);
      const mapBlock = new Uint8Array(Math.ceil(map.length / BLOCK) * BLOCK);
      mapBlock.set(map);
      stored = new Uint8Array(mapBlock.length + data.length);
      stored.set(mapBlock);
      stored.set(data, mapBlock.length);
    }
    if (name.length > 100) {
      if (format === "gnu") {
        const long = enc.encode(`${e.name}\0`);
        parts.push(header({ name: enc.encode("././@LongLink"), mode: 0, size: long.length, type: "L", linkName: new Uint8Array(0) }), ...padded(long));
        name = name.subarray(0, 100);
      } else if (format === "pax") {
        pax.path = e.name;
        name = name.subarray(0, 100);
      } else {
        const slash = e.name.lastIndexOf("/", 155);
        if (slash > 0 && enc.encode(e.name.slice(slash + 1)).length <= 100) {
          prefix = enc.encode(e.name.slice(0, slash));
          name = enc.encode(e.name.slice(slash + 1));
        } else name = name.subarray(0, 100);
      }
    }
    if (linkName.length > 100 && format === "gnu") {
      const long = enc.encode(`${e.linkName}\0`);
      parts.push(header({ name: enc.encode("././@LongLink"), mode: 0, size: long.length, type: "K", linkName: new Uint8Array(0) }), ...padded(long));
    } else if (linkName.length > 100 && format === "pax") pax.linkpath = e.linkName ?? "";
    if (Object.keys(pax).length || paxRepeated.length) {
      const body = new Uint8Array([...paxRecords(pax), ...paxRecords(paxRepeated)]);
      parts.push(header({ name: enc.encode("PaxHeader"), mode: 0o644, size: body.length, type: "x", linkName: new Uint8Array(0) }), ...padded(body));
    }
    const mode = e.mode ?? (type === "5" ? 0o755 : type === "1" || type === "2" ? 0o777 : 0o644);
    const size = type === "0" || type === "\0" || type.length !== 1 || !"125".includes(type) ? stored.length : 0;
    const gnuSparse = sp?.version === "S" ? { segments: sp.segments, realSize: sp.realSize, extended: sp.segments.length > 4 } : undefined;
    parts.push(
      header({
        name,
        mode,
        size: e.size ?? size,
        type: gnuSparse ? "S" : type,
        linkName: linkName.subarray(0, 100),
        ...(prefix ? { prefix } : {}),
        ...(e.checksum !== undefined ? { checksum: e.checksum } : {}),
        ...(gnuSparse ? { gnuSparse } : {}),
      }),
    );
    if (gnuSparse) {
      // Extension blocks: 21 entries each, isextended at 504.
      const rest = sp!.segments.slice(4);
      for (let i = 0; i < rest.length; i += 21) {
        const x = new Uint8Array(BLOCK);
        rest.slice(i, i + 21).forEach(([o, n], k) => {
          x.set(octal(o, 12), k * 24);
          x.set(octal(n, 12), k * 24 + 12);
        });
        x[504] = i + 21 < rest.length ? 1 : 0;
        parts.push(x);
      }
    }
    if (size > 0) parts.push(...padded(stored));
  }
  if (!options.omitEndBlocks) parts.push(new Uint8Array(BLOCK * 2));
  parts.push(toBytes(options.append));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
