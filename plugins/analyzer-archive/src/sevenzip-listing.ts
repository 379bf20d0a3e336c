/** One member as `7zz l -slt` lists it. */
export interface SevenZipItem {
  /** Member path as stored. */
  path: string;
  /** Declared unpacked size (0 when not a plain number). */
  size: number;
  /** Packed size, when listed (solid blocks list it on their first member only). */
  packedSize: number | undefined;
  /** 7-Zip's attribute string (`A -rw-r--r--`, `D drwxr-xr-x`, `A lrwxrwxrwx`). */
  attributes: string;
  /** `Encrypted = +`. */
  encrypted: boolean;
  /** A directory. */
  isDirectory: boolean;
  /** A UNIX symbolic link. */
  isSymlink: boolean;
  /** Coder chain, e.g. `LZMA2:12 7zAES:19`. */
  method: string;
}

/** The archive-level properties and members of a `7zz l -slt` listing. */
export interface SevenZipListing {
  /** Archive-level fields (`Type`, `Method`, `Solid`, `Blocks`…). */
  archive: Record<string, string>;
  /** Members in listing order. */
  items: SevenZipItem[];
}

function parseBlock(block: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of block.split("\n")) {
    const eq = line.indexOf(" = ");
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 3);
  }
  return fields;
}

/**
 * Parse the technical listing (`l -slt`) of 7-Zip: an archive block after
 * `--`, then one `key = value` block per member after `----------`. Sizes
 * that are not plain decimal numbers become 0; callers bound every size they use.
 */
export function parseSevenZipListing(output: string): SevenZipListing | undefined {
  const split = output.indexOf("\n----------\n");
  if (split < 0) return undefined;
  const head = output.slice(0, split);
  const archiveAt = head.lastIndexOf("\n--\n");
  const archive = parseBlock(archiveAt >= 0 ? head.slice(archiveAt + 4) : head);
  const items: SevenZipItem[] = [];
  for (const block of output.slice(split + 12).split(/\n\s*\n/)) {
    const f = parseBlock(block);
    if (f.Path === undefined) continue;
    const size = /^[0-9]+$/.test(f.Size ?? "") ? Number(f.Size) : 0;
    const packed = /^[0-9]+$/.test(f["Packed Size"] ?? "") ? Number(f["Packed Size"]) : undefined;
    const attributes = f.Attributes ?? "";
    items.push({
      path: f.Path,
      size: Number.isSafeInteger(size) ? size : Number.MAX_SAFE_INTEGER,
      packedSize: packed !== undefined && Number.isSafeInteger(packed) ? packed : undefined,
      attributes,
      encrypted: f.Encrypted === "+",
      isDirectory: f.Folder === "+" || /^D/.test(attributes) || /\sd[rwxsStT-]{9}/.test(attributes),
      isSymlink: /\sl[rwxsStT-]{9}/.test(attributes),
      method: f.Method ?? "",
    });
  }
  return { archive, items };
}
