import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTar, memoryFile, pickle, recordingContext } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { tarHandler } from "./tar-handler.js";

// Issue 9.11: GNU sparse members are read as tar readers extract them (holes as zeros), never as
// their stored bytes, and a map that cannot be applied is reported incomplete.

async function scan(bytes: Uint8Array, limits = {}) {
  const { ctx, recording } = recordingContext({ limits });
  await tarHandler.analyze(memoryFile("model.tar", bytes), ctx);
  return recording;
}

// A pickle whose BINBYTES of 4,096 zeros is a hole: read from the stored bytes (hole left out) the
// BINBYTES swallows the payload; extracted, the payload runs after it.
const HOLE = 4096;
const head = pickle().proto(4).raw([0x42, ...[HOLE & 0xff, (HOLE >> 8) & 0xff, 0, 0]]).build_();
const rest = pickle().pop().callStr("os", "system", "echo sparse").stop().build_();
const extracted = new Uint8Array([...head, ...new Uint8Array(HOLE), ...rest]);
const storedBytes = new Uint8Array([...head, ...rest]);
const segments: [number, number][] = [
  [0, head.length],
  [head.length + HOLE, rest.length],
];

const python = "/usr/bin/python3";
/** What Python's tarfile writes to disk for `name` when it extracts the archive (its makefile). */
function extractedByPython(tar: Uint8Array, name: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "mw-sparse-"));
  try {
    writeFileSync(join(dir, "t.tar"), tar);
    execFileSync(python, ["-c", "import sys, tarfile; tarfile.open(sys.argv[1]).extract(sys.argv[2], sys.argv[3])", join(dir, "t.tar"), name, join(dir, "out")]);
    return new Uint8Array(readFileSync(join(dir, "out", name)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("GNU sparse tar members (issue 9.11)", () => {
  for (const version of ["S", "0.0", "0.1", "1.0"] as const) {
    it(`format ${version}: the member is handed on as extracted (holes as zeros), equal to what Python's tarfile extracts`, async () => {
      const tar = buildTar([{ name: "model.pkl", data: storedBytes, sparse: { version, segments, realSize: extracted.length } }]);
      const r = await scan(tar);
      expect(r.nested.map((n) => n.name)).toEqual(["model.pkl"]);
      expect(Array.from(r.nested[0]!.bytes)).toEqual(Array.from(extracted));
      expect(Array.from(extractedByPython(tar, "model.pkl"))).toEqual(Array.from(extracted));
      expect(r.incomplete).toEqual([]);
      expect(r.findings.map((f) => [f.ruleId, f.severity])).toEqual([["archive/malformed", "low"]]);
    });
  }

  it("old GNU maps past the header's four entries continue in extension blocks", async () => {
    // Ten one-byte segments with one-byte holes between them.
    const many: [number, number][] = Array.from({ length: 10 }, (_, i) => [i * 2, 1]);
    const data = new TextEncoder().encode("ABCDEFGHIJ");
    const tar = buildTar([{ name: "x.bin", data, sparse: { version: "S", segments: many, realSize: 20 } }]);
    const r = await scan(tar);
    const want = new Uint8Array(20);
    data.forEach((b, i) => (want[i * 2] = b));
    expect(Array.from(r.nested[0]!.bytes)).toEqual(Array.from(want));
    expect(Array.from(extractedByPython(tar, "x.bin"))).toEqual(Array.from(want));
  });

  it("overlapping segments: the later one wins, as extraction writes them in order", async () => {
    const tar = buildTar([{ name: "o.bin", data: "aaaaBB", sparse: { version: "0.1", segments: [[0, 4], [2, 2]], realSize: 6 } }]);
    const r = await scan(tar);
    expect(new TextDecoder().decode(r.nested[0]!.bytes)).toBe("aaBB\0\0");
    expect(new TextDecoder().decode(extractedByPython(tar, "o.bin"))).toBe("aaBB\0\0");
  });

  it("a real sparse file archived by GNU tar in every sparse format is read as the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mw-gnutar-"));
    try {
      const fd = openSync(join(dir, "model.pkl"), "w");
      // Data at 0 and at 64 KiB with a hole between (GNU tar finds holes at block granularity).
      writeSync(fd, head, 0, head.length, 0);
      writeSync(fd, rest, 0, rest.length, 65536);
      closeSync(fd);
      const file = new Uint8Array(readFileSync(join(dir, "model.pkl")));
      for (const args of [["--format=gnu"], ...["0.0", "0.1", "1.0"].map((v) => ["--format=pax", `--sparse-version=${v}`])]) {
        execFileSync("tar", ["--sparse", ...args, "-C", dir, "-cf", join(dir, "t.tar"), "model.pkl"]);
        const r = await scan(new Uint8Array(readFileSync(join(dir, "t.tar"))));
        expect(r.nested.map((n) => n.name), args.join(" ")).toEqual(["model.pkl"]);
        expect(Buffer.from(r.nested[0]!.bytes).equals(Buffer.from(file)), args.join(" ")).toBe(true);
        expect(r.incomplete).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a map that places more bytes than the member stores is malformed and incomplete; the stored bytes are still analysed", async () => {
    const tar = buildTar([{ name: "m.pkl", data: storedBytes, sparse: { version: "0.1", segments: [[0, storedBytes.length + 100]], realSize: 10_000 } }]);
    const r = await scan(tar);
    expect(r.findings.some((f) => f.ruleId === "archive/malformed" && f.severity !== "low" && f.message.includes("more than"))).toBe(true);
    expect(r.incomplete.length).toBeGreaterThan(0);
    expect(Array.from(r.nested[0]!.bytes)).toEqual(Array.from(storedBytes));
  });

  it("a 1.0 map that does not parse, or a sparse format tar readers do not know, is malformed and incomplete", async () => {
    const bad = buildTar([{ name: "GNUSparseFile.0/m.pkl", data: "x\n0\n4\n", pax: { "GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.realsize": "4", "GNU.sparse.name": "m.pkl" } }]);
    const r = await scan(bad);
    expect(r.incomplete.length).toBeGreaterThan(0);
    expect(r.findings.some((f) => f.ruleId === "archive/malformed" && f.message.includes("segment count"))).toBe(true);
    const unknown = buildTar([{ name: "m.pkl", data: storedBytes, pax: { "GNU.sparse.major": "2", "GNU.sparse.minor": "0" } }]);
    const u = await scan(unknown);
    expect(u.incomplete.length).toBeGreaterThan(0);
  });

  it("a huge hole is an expansion past the budget: a finding and incomplete, never read as zeros for gigabytes", async () => {
    const tar = buildTar([{ name: "big.bin", data: "abcd", sparse: { version: "0.1", segments: [[10_000_000_000, 4]], realSize: 10_000_000_004 } }]);
    const r = await scan(tar);
    expect(r.findings.some((f) => f.ruleId === "archive/decompression-bomb")).toBe(true);
    expect(r.incomplete.length).toBeGreaterThan(0);
    expect(r.nested).toEqual([]);
  });
});
