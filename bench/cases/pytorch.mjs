// PyTorch analyzer: a 2 GB torch.save zip state dict (256 storages, written as file holes)
// must be judged from its central directory, data.pkl and a few head bytes per storage;
// and a folder of 2,000 small pickles, torch zips and legacy torch files measures throughput.
// Self-contained (no workspace imports): the runner imports cases from plain Node.
import { mkdir, open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";

const MiB = 1024 * 1024;
// Weights of 10 MiB and small biases: 200 × 10 MiB + 56 × 4 KiB ≈ 2.1 GB.
const LARGE = { count: 200, bytes: 10 * MiB };
const SMALL = { count: 56, bytes: 4096 };

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
function i32(v) {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
}

// Protocol-2 opcodes as torch.save writes a state dict (CPython Lib/pickle.py).
const str = (s) => Buffer.concat([Buffer.from([0x58]), u32(Buffer.byteLength(s)), Buffer.from(s)]);
const glob = (m, n) => Buffer.from(`c${m}\n${n}\n`);
const int = (v) => (v < 256 ? Buffer.from([0x4b, v]) : Buffer.concat([Buffer.from([0x4a]), i32(v)]));

/** data.pkl of an OrderedDict of float tensors, storages `('storage', FloatStorage, key, 'cpu', numel)`; `legacy` adds view_metadata. */
function stateDictPickle(tensors, legacy = false) {
  const parts = [Buffer.from([0x80, 0x02]), glob("collections", "OrderedDict"), Buffer.from([0x29, 0x52, 0x28])];
  for (const t of tensors) {
    parts.push(str(t.name), glob("torch._utils", "_rebuild_tensor_v2"), Buffer.from([0x28, 0x28]), str("storage"), glob("torch", "FloatStorage"), str(t.key), str("cpu"), int(t.numel));
    if (legacy) parts.push(Buffer.from([0x4e]));
    parts.push(Buffer.from([0x74, 0x51]), int(0), int(t.numel), Buffer.from([0x85]), int(1), Buffer.from([0x85, 0x89]), glob("collections", "OrderedDict"), Buffer.from([0x29, 0x52, 0x74, 0x52]));
  }
  parts.push(Buffer.from([0x75, 0x2e]));
  return Buffer.concat(parts);
}

function localHeader(name, size, crc) {
  const n = Buffer.from(name);
  return Buffer.concat([u32(0x04034b50), u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(crc), u32(size), u32(size), u16(n.length), u16(0), n]);
}
function centralRecord(name, size, crc, offset) {
  const n = Buffer.from(name);
  return Buffer.concat([u32(0x02014b50), u16(0x031e), u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(crc), u32(size), u32(size), u16(n.length), u16(0), u16(0), u16(0), u16(0), u32(0o100644 << 16), u32(offset), n]);
}
function endRecord(count, cdSize, cdOffset) {
  return Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(count), u16(count), u32(cdSize), u32(cdOffset), u16(0)]);
}

function zerosCrc(n) {
  const zeros = Buffer.alloc(Math.min(n, 8 * MiB));
  let crc = 0;
  for (let left = n; left > 0; left -= zeros.length) crc = crc32(left >= zeros.length ? zeros : zeros.subarray(0, left), crc);
  return crc >>> 0;
}

/** A stored torch zip written with positioned writes; members without `data` are zero-filled holes. */
async function writeTorchZip(path, members) {
  const handle = await open(path, "w");
  const central = [];
  let offset = 0;
  try {
    for (const m of members) {
      const header = localHeader(m.name, m.size, m.crc);
      await handle.write(header, 0, header.length, offset);
      if (m.data) await handle.write(m.data, 0, m.data.length, offset + header.length);
      central.push(centralRecord(m.name, m.size, m.crc, offset));
      offset += header.length + m.size;
    }
    const cd = Buffer.concat(central);
    const tail = Buffer.concat([cd, endRecord(members.length, cd.length, offset)]);
    await handle.write(tail, 0, tail.length, offset);
  } finally {
    await handle.close();
  }
}

/** The same layout in memory (small files). */
function torchZipBytes(prefix, tensors) {
  const pkl = stateDictPickle(tensors);
  const members = [{ name: `${prefix}/data.pkl`, data: pkl }, { name: `${prefix}/byteorder`, data: Buffer.from("little") }];
  for (const t of tensors) members.push({ name: `${prefix}/data/${t.key}`, data: Buffer.alloc(t.numel * 4) });
  members.push({ name: `${prefix}/version`, data: Buffer.from("3\n") });
  const out = [];
  const central = [];
  let offset = 0;
  for (const m of members) {
    const crc = crc32(m.data) >>> 0;
    const h = localHeader(m.name, m.data.length, crc);
    out.push(h, m.data);
    central.push(centralRecord(m.name, m.data.length, crc, offset));
    offset += h.length + m.data.length;
  }
  const cd = Buffer.concat(central);
  return Buffer.concat([...out, cd, endRecord(members.length, cd.length, offset)]);
}

const LEGACY_MAGIC = Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
const LEGACY_PROTOCOL = Buffer.from([0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e]);
const SYS_INFO = Buffer.concat([
  Buffer.from([0x80, 0x02, 0x7d, 0x28]), str("protocol_version"), Buffer.from([0x4d, 0xe9, 0x03]), str("little_endian"), Buffer.from([0x88]),
  str("type_sizes"), Buffer.from([0x7d, 0x28]), str("short"), int(2), str("int"), int(4), str("long"), int(4), Buffer.from([0x75, 0x75, 0x2e]),
]);

/** A legacy (non-zip) torch file: magic, protocol, sys_info, object pickle, keys pickle, `<int64 numel><data>` per storage. */
function legacyTorchBytes(tensors) {
  const keys = [...tensors].sort((a, b) => (a.key < b.key ? -1 : 1));
  const parts = [LEGACY_MAGIC, LEGACY_PROTOCOL, SYS_INFO, stateDictPickle(tensors, true), Buffer.concat([Buffer.from([0x80, 0x02, 0x5d, 0x28]), ...keys.map((t) => str(t.key)), Buffer.from([0x65, 0x2e])])];
  for (const t of keys) {
    const n = Buffer.alloc(8);
    n.writeBigInt64LE(BigInt(t.numel));
    parts.push(n, Buffer.alloc(t.numel * 4));
  }
  return Buffer.concat(parts);
}

/** A small protocol-4 pickle of plain data (a tokenizer-like dict). */
function smallPickle(i) {
  const parts = [Buffer.from([0x80, 0x04, 0x7d, 0x28])];
  for (let k = 0; k < 20; k++) parts.push(Buffer.from([0x8c, 4]), Buffer.from(`k${String(k).padStart(3, "0")}`), int((i + k) % 200));
  parts.push(Buffer.from([0x75, 0x2e]));
  return Buffer.concat(parts);
}

const smallTensors = (i) => [
  { name: "fc.weight", key: "0", numel: 64 + (i % 7) },
  { name: "fc.bias", key: "1", numel: 8 },
];

export default [
  {
    name: "pytorch: 2 GB torch.save zip state dict, 256 storages",
    async create(dir) {
      const path = join(dir, "pytorch_model.bin");
      const tensors = [];
      for (let i = 0; i < LARGE.count; i++) tensors.push({ name: `layers.${i}.weight`, key: String(tensors.length), numel: LARGE.bytes / 4 });
      for (let i = 0; i < SMALL.count; i++) tensors.push({ name: `layers.${i}.bias`, key: String(tensors.length), numel: SMALL.bytes / 4 });
      const pkl = stateDictPickle(tensors);
      const largeCrc = zerosCrc(LARGE.bytes);
      const smallCrc = zerosCrc(SMALL.bytes);
      await writeTorchZip(path, [
        { name: "pytorch_model/data.pkl", size: pkl.length, crc: crc32(pkl) >>> 0, data: pkl },
        { name: "pytorch_model/byteorder", size: 6, crc: crc32(Buffer.from("little")) >>> 0, data: Buffer.from("little") },
        ...tensors.map((t) => {
          const bytes = t.numel * 4;
          return { name: `pytorch_model/data/${t.key}`, size: bytes, crc: bytes === LARGE.bytes ? largeCrc : smallCrc };
        }),
        { name: "pytorch_model/version", size: 2, crc: crc32(Buffer.from("3\n")) >>> 0, data: Buffer.from("3\n") },
      ]);
      return path;
    },
    target: { maxWallMs: 500, maxRssMb: 150, maxBytesRead: 4 * 1024 * 1024 },
    metrics: (report) => ({
      format: report.files.find((f) => f.members.length === 0)?.format ?? "-",
      storages: report.files.find((f) => f.members.length === 0)?.properties?.storages ?? "-",
      findings: report.summary.findings.total,
    }),
  },
  {
    name: "pytorch: folder of 2,000 small pickles, torch zips and legacy torch files",
    async create(dir) {
      const root = join(dir, "models");
      await mkdir(root, { recursive: true });
      for (let i = 0; i < 2000; i++) {
        const kind = i % 4;
        const bytes = kind === 0 || kind === 1 ? smallPickle(i) : kind === 2 ? torchZipBytes(`m${i}`, smallTensors(i)) : legacyTorchBytes(smallTensors(i));
        // Names say nothing reliable: content decides.
        const name = [`tok-${i}.pkl`, `state-${i}`, `model-${i}.pt`, `legacy-${i}.bin`][kind];
        await writeFile(join(root, name), bytes);
      }
      return root;
    },
    metrics: (report, wallMs) => ({
      files: report.files.filter((f) => f.members.length === 0).length,
      "files/s": Math.round((report.files.filter((f) => f.members.length === 0).length / wallMs) * 1000),
      verdict: report.summary.verdict,
    }),
  },
];
