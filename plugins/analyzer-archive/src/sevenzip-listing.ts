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
  /** Members in listing order, at most the reader's `maxItems`. */
  items: SevenZipItem[];
  /** Members the listing holds, kept or not. */
  total: number;
}

function itemOf(f: Record<string, string>): SevenZipItem {
  const size = /^[0-9]+$/.test(f.Size ?? "") ? Number(f.Size) : 0;
  const packed = /^[0-9]+$/.test(f["Packed Size"] ?? "") ? Number(f["Packed Size"]) : undefined;
  const attributes = f.Attributes ?? "";
  return {
    path: f.Path!,
    size: Number.isSafeInteger(size) ? size : Number.MAX_SAFE_INTEGER,
    packedSize: packed !== undefined && Number.isSafeInteger(packed) ? packed : undefined,
    attributes,
    encrypted: f.Encrypted === "+",
    isDirectory: f.Folder === "+" || /^D/.test(attributes) || /\sd[rwxsStT-]{9}/.test(attributes),
    isSymlink: /\sl[rwxsStT-]{9}/.test(attributes),
    method: f.Method ?? "",
  };
}

// Fields of a block worth keeping; anything else a hostile listing repeats is dropped on arrival.
const MAX_FIELDS = 64;

/**
 * Reads the technical listing (`l -slt`) of 7-Zip line by line as 7-Zip
 * prints it: an archive block after `--`, then one `key = value` block per
 * member after `----------`. Keeps at most `maxItems` members and counts the
 * rest, so a listing of a million files costs the members kept, not the
 * output's size. Sizes that are not plain decimal numbers become 0; callers
 * bound every size they use.
 */
export class SevenZipListingReader {
  private archive: Record<string, string> = {};
  private readonly items: SevenZipItem[] = [];
  private total = 0;
  private block: Record<string, string> = {};
  private fields = 0;
  private inItems = false;
  private seenSeparator = false;

  constructor(private readonly maxItems: number) {}

  /** One line of 7-Zip's output (a `print` callback may pass several joined by newlines). */
  line(text: string): void {
    if (text.includes("\n")) {
      for (const l of text.split("\n")) this.line(l);
      return;
    }
    if (!this.inItems) {
      if (text === "--") this.archive = {};
      else if (text === "----------") {
        this.inItems = true;
        this.seenSeparator = true;
        return;
      } else this.add(this.archive, text);
      return;
    }
    if (text.trim() === "") {
      this.endBlock();
      return;
    }
    this.add(this.block, text);
  }

  private add(into: Record<string, string>, text: string): void {
    const eq = text.indexOf(" = ");
    if (eq <= 0) return;
    if (into === this.block && this.fields++ >= MAX_FIELDS) return;
    if (into === this.archive && Object.keys(into).length >= MAX_FIELDS) return;
    into[text.slice(0, eq)] = text.slice(eq + 3);
  }

  private endBlock(): void {
    if (this.block.Path !== undefined) {
      this.total++;
      if (this.items.length < this.maxItems) this.items.push(itemOf(this.block));
    }
    this.block = {};
    this.fields = 0;
  }

  /** Members seen so far (kept or not). */
  get count(): number {
    return this.total;
  }

  /** The listing, or undefined when 7-Zip printed no member section (it could not open the archive). */
  finish(): SevenZipListing | undefined {
    this.endBlock();
    if (!this.seenSeparator) return undefined;
    return { archive: this.archive, items: this.items, total: this.total };
  }
}

/** Parse a whole `l -slt` output at once (tests, small listings). */
export function parseSevenZipListing(output: string, maxItems = Number.MAX_SAFE_INTEGER): SevenZipListing | undefined {
  const reader = new SevenZipListingReader(maxItems);
  reader.line(output);
  return reader.finish();
}
