import { execFileSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildTar, memoryFile, recordingContext } from "@modelward/testing";
import { sevenZipFixture } from "./test-fixtures.js";
import { innerName, wrapperHandler } from "./wrapper-handler.js";

const PICKLE = new Uint8Array([0x80, 0x02, ...new TextEncoder().encode("cposix\nsystem\nX\x07\x00\x00\x00echo hi\x85R.")]);

async function scan(name: string, bytes: Uint8Array, limits = {}) {
  const { ctx, recording } = recordingContext({ limits });
  const file = memoryFile(name, bytes);
  expect(wrapperHandler.match(file, bytes.subarray(0, 4096), new Uint8Array(0))).toBe(true);
  await wrapperHandler.analyze(file, ctx);
  return { recording, rules: recording.findings.map((f) => f.ruleId).sort() };
}

describe("gzip / bzip2 / xz wrappers", () => {
  it("hands the tar inside a .tar.gz over (gzip ▸ tar)", async () => {
    const tar = buildTar([{ name: "data.pkl", data: PICKLE }]);
    const { recording, rules } = await scan("model.tar.gz", new Uint8Array(gzipSync(tar)));
    expect(rules).toEqual([]);
    expect(recording.incomplete).toEqual([]);
    expect(recording.nested.map((n) => n.name)).toEqual(["model.tar"]);
    expect(Array.from(recording.nested[0]!.bytes)).toEqual(Array.from(tar));
    expect(recording.facts.format).toBe("gzip");
  });

  it("decodes bzip2 and xz wrappers", async () => {
    for (const [type, ext] of [["bzip2", "bz2"], ["xz", "xz"]] as const) {
      const packed = await sevenZipFixture(type, { "weights.pkl": PICKLE });
      const { recording, rules } = await scan(`weights.pkl.${ext}`, packed);
      expect(rules).toEqual([]);
      expect(recording.nested.map((n) => n.name)).toEqual(["weights.pkl"]);
      expect(Array.from(recording.nested[0]!.bytes)).toEqual(Array.from(PICKLE));
    }
  });

  it("decodes an honest .xz checked with SHA-256 (Python's lzma check=CHECK_SHA256) quietly and completely", async () => {
    const packed = new Uint8Array(
      execFileSync("/usr/bin/python3", ["-c", "import lzma, sys; sys.stdout.buffer.write(lzma.compress(sys.stdin.buffer.read(), check=lzma.CHECK_SHA256))"], { input: PICKLE }),
    );
    const { recording, rules } = await scan("weights.pkl.xz", packed);
    expect(rules).toEqual([]);
    expect(recording.incomplete).toEqual([]);
    expect(Array.from(recording.nested[0]!.bytes)).toEqual(Array.from(PICKLE));
  });

  it("stops a decompression bomb at the ratio limit but still analyzes its start", async () => {
    const bomb = new Uint8Array(gzipSync(new Uint8Array(20 * 1024 * 1024)));
    const { recording, rules } = await scan("zeros.gz", bomb, { maxCompressionRatio: 50 });
    expect(rules).toEqual(["archive/decompression-bomb"]);
    expect(recording.incomplete.length).toBe(1);
    expect(recording.nested[0]!.bytes.length).toBe(1024 * 1024);
  });

  it("stops a bomb within its first megabytes by the running ratio, not after ratio × file size", async () => {
    // 64 MiB of zeros deflate ~1030:1, just above the default 1000:1; the file-size cap alone would
    // let all 64 MiB be produced (64 KiB × 1000).
    const bomb = new Uint8Array(gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 }));
    const { recording, rules } = await scan("zeros.gz", bomb);
    expect(rules).toEqual(["archive/decompression-bomb"]);
    expect(recording.findings[0]!.message).toMatch(/first \d+ compressed bytes expand to \d+ bytes/);
    expect(recording.nested[0]!.bytes.length).toBeGreaterThan(1024 * 1024);
    expect(recording.nested[0]!.bytes.length).toBeLessThan(4 * 1024 * 1024);
    expect(recording.incomplete).toHaveLength(1);
  });

  it("applies the running ratio to xz and bzip2 too, before the file-size cap", async () => {
    // Zeros first, then 256 KiB of incompressible bytes: ratio × file size (~256 MiB) is far beyond
    // the content, so only the running check stops the zeros early. bzip2 is checked per block, and
    // one block holds ~45 MB of zeros (RLE), hence more zeros for it.
    for (const [type, ext, zeros] of [["bzip2", "bz2", 96], ["xz", "xz", 24]] as const) {
      const content = new Uint8Array((zeros + 0.25) * 1024 * 1024);
      let x = 12345;
      for (let i = zeros * 1024 * 1024; i < content.length; i++) content[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
      const packed = await sevenZipFixture(type, { "zeros.bin": content });
      expect(packed.length).toBeGreaterThan(256 * 1024);
      const { recording, rules } = await scan(`zeros.bin.${ext}`, packed);
      expect(rules, type).toEqual(["archive/decompression-bomb"]);
      expect(recording.findings[0]!.message).toMatch(/first \d+ compressed bytes/);
      expect(recording.nested[0]!.bytes.length).toBeLessThan(zeros * 1024 * 1024);
    }
  }, 120_000);

  it("stops at the expansion budget left by outer archives and analyzes what fits", async () => {
    const gz = new Uint8Array(gzipSync(new Uint8Array(3 * 1024 * 1024).map((_, i) => i & 0x7f)));
    const { recording, rules } = await scan("big.gz", gz, { maxExpandedBytes: 2 * 1024 * 1024 });
    expect(rules).toEqual(["archive/decompression-bomb"]);
    expect(recording.nested[0]!.bytes.length).toBe(2 * 1024 * 1024);
  });

  it("reports a truncated gzip stream and analyzes what decoded", async () => {
    const gz = new Uint8Array(gzipSync(new TextEncoder().encode("a".repeat(10) + "b".repeat(100_000))));
    const { recording, rules } = await scan("cut.gz", gz.subarray(0, gz.length - 30));
    expect(rules).toEqual(["archive/malformed"]);
    expect(recording.incomplete.length).toBe(1);
    expect(recording.nested.length).toBe(1);
  });

  it("reports a traversal in the gzip stored name and uses its base name", async () => {
    const gz = new Uint8Array(gzipSync(PICKLE));
    const header = new Uint8Array([...gz.subarray(0, 10), ...new TextEncoder().encode("../../x.pkl"), 0]);
    header[3] = header[3]! | 0x08;
    const { recording, rules } = await scan("a.gz", new Uint8Array([...header, ...gz.subarray(10)]));
    expect(rules).toEqual(["archive/path-traversal"]);
    expect(recording.nested.map((n) => n.name)).toEqual(["x.pkl"]);
  });

  it("names inner members from the outer name", () => {
    expect(innerName("m.tgz", "gzip", undefined)).toBe("m.tar");
    expect(innerName("m.pkl.gz", "gzip", undefined)).toBe("m.pkl");
    expect(innerName("blob", "xz", undefined)).toBe("blob.unxz");
  });
});
