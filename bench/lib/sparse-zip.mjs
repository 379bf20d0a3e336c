// Large benchmark inputs without large disks: a stored (method 0) zip written
// with positioned writes, where members without `data` are left as file holes
// (zeros that cost no disk). Headers carry the real CRC-32 of those zeros.
import { open } from "node:fs/promises";
import { crc32 } from "node:zlib";

const u16 = (v) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
};
const u32 = (v) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};

const zeroCrcs = new Map();
/** CRC-32 of `n` zero bytes, in 8 MiB steps (native zlib.crc32, Node ≥ 20.15), memoised by size. */
function zerosCrc(n) {
  if (!zeroCrcs.has(n)) {
    const zeros = Buffer.alloc(Math.min(n, 8 * 1024 * 1024));
    let crc = 0;
    for (let left = n; left > 0; left -= zeros.length) crc = crc32(left >= zeros.length ? zeros : zeros.subarray(0, left), crc);
    zeroCrcs.set(n, crc >>> 0);
  }
  return zeroCrcs.get(n);
}

/**
 * Writes a stored zip at `path`. Each member is `{ name, data }` (bytes written)
 * or `{ name, size }` (a hole of `size` zero bytes). Sizes must stay under 4 GiB
 * per member (no ZIP64), which every case here respects.
 */
export async function writeSparseStoredZip(path, members) {
  const handle = await open(path, "w");
  const central = [];
  let offset = 0;
  try {
    for (const m of members) {
      const name = Buffer.from(m.name);
      const data = m.data ? Buffer.from(m.data) : undefined;
      const size = data ? data.length : m.size;
      const crc = data ? crc32(data) >>> 0 : zerosCrc(size);
      const fields = [u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(crc), u32(size), u32(size), u16(name.length)];
      const header = Buffer.concat([u32(0x04034b50), ...fields, u16(0), name]);
      await handle.write(header, 0, header.length, offset);
      if (data) await handle.write(data, 0, data.length, offset + header.length);
      central.push(Buffer.concat([u32(0x02014b50), u16(0x031e), ...fields, u16(0), u16(0), u16(0), u16(0), u32(0o100644 << 16), u32(offset), name]));
      offset += header.length + size;
    }
    const cd = Buffer.concat(central);
    const end = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(members.length), u16(members.length), u32(cd.length), u32(offset), u16(0)]);
    const tail = Buffer.concat([cd, end]);
    await handle.write(tail, 0, tail.length, offset);
  } finally {
    await handle.close();
  }
}

/** Writes a torch.save zip of `tensors` at `path` with records under `prefix/`, its storages as file holes. */
export async function writeSparseTorchZip(path, tensors, prefix = "pytorch_model") {
  const { torchStateDictPickle, torchStorages } = await import("@modelward/testing");
  await writeSparseStoredZip(path, [
    { name: `${prefix}/data.pkl`, data: torchStateDictPickle(tensors) },
    { name: `${prefix}/byteorder`, data: Buffer.from("little") },
    ...torchStorages(tensors).map((s) => ({ name: `${prefix}/data/${s.key}`, size: s.nbytes })),
    { name: `${prefix}/version`, data: Buffer.from("3\n") },
  ]);
  return path;
}
