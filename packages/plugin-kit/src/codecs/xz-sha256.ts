import { createHash, type Hash } from "node:crypto";
import { crc32 } from "node:zlib";

/*
 * xz-embedded (our WASM .xz decoder) knows the CRC32 and CRC64 integrity
 * checks only and refuses a stream whose header names SHA-256, which Python's
 * `lzma.compress(check=lzma.CHECK_SHA256)` and `xz --check=sha256` legally
 * write. Such a stream is rewritten on the fly into one with check "None"
 * (xz file format 1.2.1, §2.1.1.2, §3.4, §4): the 32 check bytes after every
 * block are dropped, the index records' unpadded sizes lose them, and the
 * stream header, index and footer get their CRC32s recomputed. Blocks are
 * delimited without decoding by walking the LZMA2 chunk headers (each states
 * its packed size). The dropped checks are not ignored: every block's
 * SHA-256 is recomputed over the decoder's output (block sizes come from the
 * same chunk headers) and a mismatch is an error, as in liblzma.
 *
 * Anything the walk does not expect (a reserved control byte, a record that
 * disagrees with the blocks, a truncated stream, a number past 2^53) is an
 * error: the caller reports the file undecoded, never passed.
 */

const STREAM_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const FOOTER_MAGIC = [0x59, 0x5a];
const CHECK_SHA256 = 0x0a;
const SHA256_BYTES = 32;
// Check sizes by check ID (§2.1.1.2): 0, 4, 8, 16, 32 or 64 bytes in groups of three IDs.
const checkSize = (id: number) => (id === 0 ? 0 : 4 << Math.floor((id - 1) / 3));

/** Whether the first bytes of an .xz file name SHA-256 as the first stream's check. */
export function xzNamesSha256(head: Uint8Array): boolean {
  return head.length >= 8 && STREAM_MAGIC.every((b, i) => head[i] === b) && head[6] === 0 && (head[7]! & 0x0f) === CHECK_SHA256;
}

export class XzStructureError extends Error {}

/** One block of the input, as the rewritten index states it, and its expected SHA-256 (when dropped). */
interface BlockRecord {
  unpadded: number;
  uncompressed: number;
  sha256?: Uint8Array;
}

/** Pulls bytes from an async iterator on demand. */
class Pull {
  private buf: Uint8Array = new Uint8Array(0);
  private at = 0;
  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private get available() {
    return this.buf.length - this.at;
  }

  /** Ensures `n` bytes are buffered; false at the end of input. Only used for small `n`. */
  private async fill(n: number): Promise<boolean> {
    while (this.available < n) {
      const { value, done } = await this.source.next();
      if (done) return false;
      const rest = this.buf.subarray(this.at);
      const joined = new Uint8Array(rest.length + value.length);
      joined.set(rest, 0);
      joined.set(value, rest.length);
      this.buf = joined;
      this.at = 0;
    }
    return true;
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  async bytes(n: number): Promise<Uint8Array> {
    if (!(await this.fill(n))) throw new XzStructureError("truncated xz stream");
    const out = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }

  async byte(): Promise<number> {
    return (await this.bytes(1))[0]!;
  }

  /** Hands on the next `n` bytes in the pieces they arrive in, without gathering them. */
  async *pass(n: number): AsyncGenerator<Uint8Array> {
    while (n > 0) {
      if (this.available === 0) {
        const { value, done } = await this.source.next();
        if (done) throw new XzStructureError("truncated xz stream");
        this.buf = value;
        this.at = 0;
        continue;
      }
      const take = Math.min(n, this.available);
      yield this.buf.subarray(this.at, this.at + take);
      this.at += take;
      n -= take;
    }
  }

  async close() {
    await this.source.return?.();
  }
}

const le32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
};
const readLe32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** An xz variable-length integer (§1.2), refused past 2^53. */
async function readVli(pull: Pull, raw: number[]): Promise<number> {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const b = await pull.byte();
    raw.push(b);
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 0) throw new XzStructureError("non-minimal xz integer");
      if (value > Number.MAX_SAFE_INTEGER) throw new XzStructureError("xz integer too large");
      return value;
    }
  }
  throw new XzStructureError("xz integer longer than 9 bytes");
}

function encodeVli(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
  return out;
}

/**
 * Walks one block's LZMA2 chunks (after its header), passing them through;
 * returns the compressed and uncompressed sizes.
 */
async function* passLzma2(pull: Pull): AsyncGenerator<Uint8Array, { compressed: number; uncompressed: number }> {
  let compressed = 0;
  let uncompressed = 0;
  for (;;) {
    const control = await pull.byte();
    compressed += 1;
    if (control === 0x00) {
      yield Uint8Array.of(control);
      return { compressed, uncompressed };
    }
    let header: Uint8Array;
    let packed: number;
    if (control === 0x01 || control === 0x02) {
      const size = await pull.bytes(2);
      header = concat(Uint8Array.of(control), size);
      packed = ((size[0]! << 8) | size[1]!) + 1;
      uncompressed += packed;
    } else if (control >= 0x80) {
      const hasProps = ((control >> 5) & 3) >= 2; // reset modes 2 and 3 carry a new properties byte
      const sizes = await pull.bytes(hasProps ? 5 : 4);
      header = concat(Uint8Array.of(control), sizes);
      uncompressed += ((control & 0x1f) << 16) + ((sizes[0]! << 8) | sizes[1]!) + 1;
      packed = ((sizes[2]! << 8) | sizes[3]!) + 1;
    } else {
      throw new XzStructureError(`invalid LZMA2 control byte 0x${control.toString(16)}`);
    }
    yield header;
    compressed += header.length - 1 + packed;
    yield* pull.pass(packed);
  }
}

/**
 * The input rewritten with check None in place of SHA-256 (streams with
 * another check pass unchanged); `blocks` receives each block's uncompressed
 * size and SHA-256 as soon as its check was read.
 */
async function* rewriteStreams(pull: Pull, blocks: BlockRecord[]): AsyncGenerator<Uint8Array> {
  let first = true;
  for (;;) {
    // Stream padding (§2.2): zero bytes in groups of four between and after streams.
    let head: Uint8Array | undefined;
    while (!(await pull.atEnd())) {
      const four = await pull.bytes(4);
      if (four.every((b) => b === 0)) {
        yield four;
        continue;
      }
      head = four;
      break;
    }
    if (!head) {
      if (first) throw new XzStructureError("empty xz input");
      return;
    }
    first = false;
    const header = concat(head, await pull.bytes(8));
    if (!STREAM_MAGIC.every((b, i) => header[i] === b)) throw new XzStructureError("not an xz stream");
    const flags = header.subarray(6, 8);
    if (crc32(flags) !== readLe32(header, 8)) throw new XzStructureError("xz stream header CRC32 mismatch");
    if (flags[0] !== 0 || (flags[1]! & 0xf0) !== 0) throw new XzStructureError("reserved xz stream flags set");
    const checkId = flags[1]!;
    const drop = checkId === CHECK_SHA256;
    const outFlags = drop ? Uint8Array.of(0, 0) : flags;
    yield concat(header.subarray(0, 6), outFlags, le32(crc32(outFlags)));

    const records: BlockRecord[] = [];
    for (;;) {
      const sizeByte = await pull.byte();
      if (sizeByte === 0x00) break; // index indicator
      const blockHeader = concat(Uint8Array.of(sizeByte), await pull.bytes((sizeByte + 1) * 4 - 1));
      yield blockHeader;
      const walk = passLzma2(pull);
      let sizes: { compressed: number; uncompressed: number };
      for (;;) {
        const step = await walk.next();
        if (step.done) {
          sizes = step.value;
          break;
        }
        yield step.value;
      }
      const padding = (4 - ((blockHeader.length + sizes.compressed) % 4)) % 4;
      const pad = await pull.bytes(padding);
      if (pad.some((b) => b !== 0)) throw new XzStructureError("non-zero xz block padding");
      yield pad;
      const check = await pull.bytes(checkSize(checkId));
      const unpadded = blockHeader.length + sizes.compressed + check.length;
      if (drop) {
        const record = { unpadded: unpadded - check.length, uncompressed: sizes.uncompressed, sha256: check };
        records.push(record);
        blocks.push(record);
      } else {
        yield check;
        records.push({ unpadded, uncompressed: sizes.uncompressed });
        blocks.push({ unpadded, uncompressed: sizes.uncompressed });
      }
    }

    // The index (§4): it must list exactly the blocks just walked.
    const raw: number[] = [0x00];
    const count = await readVli(pull, raw);
    if (count !== records.length) throw new XzStructureError("xz index record count disagrees with the blocks");
    for (const record of records) {
      const unpadded = await readVli(pull, raw);
      const uncompressed = await readVli(pull, raw);
      const expected = drop ? record.unpadded + SHA256_BYTES : record.unpadded;
      if (unpadded !== expected || uncompressed !== record.uncompressed) throw new XzStructureError("xz index record disagrees with its block");
    }
    const indexPad = await pull.bytes((4 - (raw.length % 4)) % 4);
    if (indexPad.some((b) => b !== 0)) throw new XzStructureError("non-zero xz index padding");
    raw.push(...indexPad);
    const indexCrc = await pull.bytes(4);
    if (crc32(Uint8Array.from(raw)) !== readLe32(indexCrc, 0)) throw new XzStructureError("xz index CRC32 mismatch");
    let index = Uint8Array.from(raw);
    if (drop) {
      const body = [0x00, ...encodeVli(records.length)];
      for (const record of records) body.push(...encodeVli(record.unpadded), ...encodeVli(record.uncompressed));
      while (body.length % 4) body.push(0);
      index = Uint8Array.from(body);
    }
    yield concat(index, le32(crc32(index)));

    // The footer (§2.1.2): backward size and flags restated for the rewritten index.
    const footer = await pull.bytes(12);
    if (!FOOTER_MAGIC.every((b, i) => footer[10 + i] === b)) throw new XzStructureError("bad xz stream footer");
    if (crc32(footer.subarray(4, 10)) !== readLe32(footer, 0)) throw new XzStructureError("xz stream footer CRC32 mismatch");
    if ((readLe32(footer, 4) + 1) * 4 !== raw.length + 4) throw new XzStructureError("xz backward size disagrees with the index");
    if (footer[8] !== flags[0] || footer[9] !== flags[1]) throw new XzStructureError("xz footer flags disagree with the header");
    const tail = concat(le32((index.length + 4) / 4 - 1), outFlags);
    yield concat(le32(crc32(tail)), tail, Uint8Array.from(FOOTER_MAGIC));
  }
}

/**
 * Rewrites a SHA-256-checked xz input for the decoder (see above) and returns
 * the verifier the decoder's output must pass through.
 */
export function rewriteSha256Xz(encoded: AsyncIterable<Uint8Array>): {
  rewritten: AsyncIterable<Uint8Array>;
  verified: (decoded: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;
} {
  const blocks: BlockRecord[] = [];
  const pull = new Pull(encoded[Symbol.asyncIterator]());
  const rewritten = (async function* () {
    try {
      yield* rewriteStreams(pull, blocks);
    } finally {
      await pull.close();
    }
  })();
  async function* verified(decoded: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    // Output of block k+1 can only appear after its input was walked, so after block k's check was
    // read: a boundary not yet in `blocks` lies beyond the bytes in hand.
    let next = 0;
    let inBlock = 0;
    let hash: Hash = createHash("sha256");
    const finishBlock = () => {
      const block = blocks[next++]!;
      if (inBlock !== block.uncompressed) throw new XzStructureError("xz block decoded to a size its chunks did not state");
      const digest = hash.digest();
      if (block.sha256 && !digest.equals(block.sha256)) throw new XzStructureError("xz block SHA-256 mismatch");
      hash = createHash("sha256");
      inBlock = 0;
    };
    for await (const chunk of decoded) {
      let at = 0;
      while (at < chunk.length) {
        while (next < blocks.length && inBlock === blocks[next]!.uncompressed) finishBlock();
        const limit = next < blocks.length ? blocks[next]!.uncompressed - inBlock : chunk.length - at;
        const take = Math.min(limit, chunk.length - at);
        hash.update(chunk.subarray(at, at + take));
        inBlock += take;
        at += take;
      }
      yield chunk;
    }
    while (next < blocks.length) finishBlock();
    if (inBlock !== 0) throw new XzStructureError("xz output beyond its blocks");
  }
  return { rewritten, verified };
}
