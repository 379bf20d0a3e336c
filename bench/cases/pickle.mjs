// Benchmark cases for the pickle analyzer (contract: bench/run.mjs scans `create(dir)`'s path with the
// built engine in a child process). Inputs are streamed to disk, never built whole in memory.
import { execFileSync } from "node:child_process";
import { createWriteStream, writeFileSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";

const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
const u64 = (n) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };
const sbu = (s) => Buffer.concat([Buffer.from([0x8c, Buffer.byteLength(s)]), Buffer.from(s)]);

async function write(path, chunks) {
  const out = createWriteStream(path);
  for (const c of chunks()) if (!out.write(c)) await once(out, "drain");
  out.end();
  await once(out, "finish");
  return path;
}

// numpy float32 array as ndarray.__reduce__ pickles it at protocol 4: _reconstruct + BUILD with the raw bytes.
function* float32Array(index, floats, zeros) {
  const head = Buffer.concat([
    sbu(`layer${index}.weight`),
    sbu("numpy.core.multiarray"), sbu("_reconstruct"), Buffer.from([0x93]),
    sbu("numpy"), sbu("ndarray"), Buffer.from([0x93]),
    Buffer.from([0x4b, 0x00, 0x85]), Buffer.from([0x43, 0x01, 0x62, 0x87, 0x52]),
    Buffer.from([0x28, 0x4b, 0x01, 0x4a]), u32(floats), Buffer.from([0x85]),
    sbu("numpy"), sbu("dtype"), Buffer.from([0x93]), sbu("f4"), Buffer.from([0x89, 0x88, 0x87, 0x52]),
    Buffer.from([0x28, 0x4b, 0x03]), sbu("<"), Buffer.from([0x4e, 0x4e, 0x4e, 0x4a]), u32(0xffffffff), Buffer.from([0x4a]), u32(0xffffffff), Buffer.from([0x4b, 0x00, 0x74, 0x62]),
    Buffer.from([0x89, 0x42]), u32(floats * 4),
  ]);
  yield head;
  for (let left = floats * 4; left > 0; left -= zeros.length) yield left >= zeros.length ? zeros : zeros.subarray(0, left);
  yield Buffer.from([0x74, 0x62, 0x73]); // TUPLE (state), BUILD, SETITEM
}

export default [
  {
    name: "pickle: 1 GiB protocol-4 pickle of float32 arrays",
    async create(dir) {
      const arrays = 16;
      const floats = (1024 * 1024 * 1024) / 4 / arrays;
      const zeros = Buffer.alloc(4 * 1024 * 1024, 0x3f);
      return write(join(dir, "float32-1g.pkl"), function* () {
        yield Buffer.from([0x80, 0x04, 0x7d]);
        for (let i = 0; i < arrays; i++) yield* float32Array(i, floats, zeros);
        yield Buffer.from([0x2e]);
      });
    },
    target: { maxWallMs: 1000, maxRssMb: 150, maxBytesRead: 8 * 1024 * 1024 },
    metrics: (report) => ({ opcodes: report.files?.[0]?.properties?.opcodes ?? "?" }),
  },
  {
    name: "pickle: 10 million small opcodes",
    async create(dir) {
      const batch = Buffer.alloc(1 + 999 * 2 + 1);
      batch[0] = 0x28;
      for (let i = 0; i < 999; i++) { batch[1 + i * 2] = 0x4b; batch[2 + i * 2] = i & 0xff; }
      batch[batch.length - 1] = 0x65;
      return write(join(dir, "ten-million-ops.pkl"), function* () {
        yield Buffer.from([0x80, 0x04, 0x5d]);
        for (let i = 0; i < 10_000; i++) yield batch; // 1001 opcodes per batch
        yield Buffer.from([0x2e]);
      });
    },
    target: { maxWallMs: 2000 },
    metrics: (report, wallMs) => {
      const ops = Number(report.files?.[0]?.properties?.opcodes ?? 0);
      return { opcodes: ops, opcodesPerSecond: Math.round(ops / (wallMs / 1000)) };
    },
  },
  {
    // joblib compress=('lzma', 3): LZMA1 in the LZMA-alone container, decoded by plugin-kit's own decoder
    // (twice: the measuring pass, then the VM's read). xz-utils writes the same container.
    name: "pickle: raw-LZMA joblib of a 16 MiB float32 array",
    async create(dir) {
      const floats = (16 * 1024 * 1024) / 4;
      const data = Buffer.alloc(floats * 4);
      for (let i = 0, x = 7; i < floats; i++) data.writeFloatLE(((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 1000) / 1000, i * 4);
      const raw = Buffer.concat([Buffer.from([0x80, 0x04, 0x7d]), ...float32Array(0, floats, data), Buffer.from([0x2e])]);
      const path = join(dir, "model.joblib");
      writeFileSync(path, execFileSync("xz", ["-c", "-z", "-3", "--format=lzma"], { input: raw, maxBuffer: 1 << 30 }));
      return path;
    },
    target: { maxWallMs: 30000, maxRssMb: 250 },
    metrics: (report) => ({ decompressedBytes: report.files?.[0]?.properties?.decompressedBytes ?? "?" }),
  },
];
