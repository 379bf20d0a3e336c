// Archive analyzer: a 2 GB stored zip (a torch-style checkpoint of four 512 MB storages
// plus a small pickle) must be listed from its central directory and local headers only,
// with members dispatched lazily (nothing reads the storages).
import { open } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";

const STORAGE = 512 * 1024 * 1024;
const STORAGES = 4;
// A harmless protocol-2 pickle of {"w": 1}: PROTO 2, EMPTY_DICT, SHORT_BINUNICODE "w", BININT1 1, SETITEM, STOP.
const PICKLE = Buffer.from([0x80, 0x02, 0x7d, 0x8c, 0x01, 0x77, 0x4b, 0x01, 0x73, 0x2e]);

function u16(v) {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}
function u32(v) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

// CRC-32 of n zero bytes, in 8 MiB steps (native zlib.crc32, Node ≥ 20.15).
function zerosCrc(n) {
  const zeros = Buffer.alloc(8 * 1024 * 1024);
  let crc = 0;
  for (let left = n; left > 0; left -= zeros.length) crc = crc32(left >= zeros.length ? zeros : zeros.subarray(0, left), crc);
  return crc >>> 0;
}

/**
 * Write a stored (method 0) zip whose storages are file holes: only headers,
 * the pickle and the directory are written, so the 2 GB input costs no disk.
 */
async function writeStoredZip(path, members) {
  const handle = await open(path, "w");
  const central = [];
  let offset = 0;
  try {
    for (const m of members) {
      const name = Buffer.from(m.name);
      const header = Buffer.concat([u32(0x04034b50), u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(m.crc), u32(m.size), u32(m.size), u16(name.length), u16(0), name]);
      await handle.write(header, 0, header.length, offset);
      if (m.data) await handle.write(m.data, 0, m.data.length, offset + header.length);
      central.push(Buffer.concat([u32(0x02014b50), u16(0x031e), u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(m.crc), u32(m.size), u32(m.size), u16(name.length), u16(0), u16(0), u16(0), u16(0), u32(0o100644 << 16), u32(offset), name]));
      offset += header.length + m.size;
    }
    const cd = Buffer.concat(central);
    const eocd = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(members.length), u16(members.length), u32(cd.length), u32(offset), u16(0)]);
    const tail = Buffer.concat([cd, eocd]);
    await handle.write(tail, 0, tail.length, offset);
  } finally {
    await handle.close();
  }
}

export default [
  {
    name: "archive: 2 GB stored zip, 4 large storages + a small pickle",
    async create(dir) {
      const path = join(dir, "checkpoint.pt");
      const zeroCrc = zerosCrc(STORAGE);
      const members = [
        { name: "checkpoint/data.pkl", size: PICKLE.length, crc: crc32(PICKLE) >>> 0, data: PICKLE },
        ...Array.from({ length: STORAGES }, (_, i) => ({ name: `checkpoint/data/${i}`, size: STORAGE, crc: zeroCrc })),
        { name: "checkpoint/version", size: 2, crc: crc32(Buffer.from("3\n")) >>> 0, data: Buffer.from("3\n") },
      ];
      await writeStoredZip(path, members);
      return path;
    },
    target: { maxWallMs: 500, maxRssMb: 150, maxBytesRead: 4 * 1024 * 1024 },
    metrics: (report) => ({
      members: report.files.filter((f) => f.members.length > 0).length,
      findings: report.summary.findings.total,
    }),
  },
];
