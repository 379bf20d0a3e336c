import { describe, expect, it } from "vitest";
import type { ByteSource } from "@modelward/core";
// The builder lives in @modelward/testing, which depends on this package: import its
// self-contained source file directly to keep the package graph acyclic.
import { buildZip, zipSymlink } from "../../../testing/src/zip-builder.js";
import { openEntryData } from "./entry-data.js";
import { openZip } from "./zip-reader.js";
import type { ZipIssueKind } from "./zip-types.js";

function source(bytes: Uint8Array, reads: [number, number][] = []): ByteSource {
  return {
    size: bytes.length,
    async read(start, end) {
      reads.push([start, end]);
      return bytes.slice(Math.max(0, start), Math.min(end, bytes.length));
    },
    async *stream(start = 0, end = bytes.length) {
      reads.push([start, end]);
      for (let at = start; at < end; at += 4096) yield bytes.slice(at, Math.min(at + 4096, end));
    },
  };
}

const kinds = (issues: { kind: ZipIssueKind }[]) => issues.map((i) => i.kind).sort();
const text = new TextDecoder();

async function readAll(src: ByteSource): Promise<string> {
  return text.decode(await src.read(0, src.size));
}

describe("an entry flood (issue 18)", () => {
  it("keeps 100 issues of one kind and counts the rest in one summary", async () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({ name: `c${i}.txt`, localName: `l${i}.txt`, data: "x" }));
    const archive = await openZip(source(buildZip(entries)));
    expect(archive.entries).toHaveLength(300);
    const mismatches = archive.issues.filter((i) => i.kind === "name-mismatch");
    expect(mismatches).toHaveLength(101);
    expect(mismatches[100]).toMatchObject({ message: "200 more name-mismatch issues not listed individually", evidence: { total: 300, listed: 100 } });
  });
});

describe("openZip", () => {
  it("lists a clean archive with no issues and opens stored and deflated entries", async () => {
    const zip = buildZip([
      { name: "a.txt", data: "hello" },
      { name: "dir/", data: "" },
      { name: "b.txt", data: "world ".repeat(100), method: "deflate" },
    ]);
    const archive = await openZip(source(zip));
    expect(archive.issues).toEqual([]);
    expect(archive.entries.map((e) => [e.name, e.method, e.isDirectory])).toEqual([
      ["a.txt", 0, false],
      ["dir/", 0, true],
      ["b.txt", 8, false],
    ]);
    const a = await openEntryData(archive, archive.entries[0]!);
    const b = await openEntryData(archive, archive.entries[2]!);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(await readAll(a.source)).toBe("hello");
    expect(await readAll(b.source)).toBe("world ".repeat(100));
    expect(b.verified).toBe(true);
    expect(a.issues.concat(b.issues, await a.finish(), await b.finish())).toEqual([]);
  });

  it("finds the end record behind an archive comment", async () => {
    const archive = await openZip(source(buildZip([{ name: "x", data: "1" }], { comment: "PK\u0005\u0006 fake".padEnd(3000, "c") })));
    expect(archive.entries.map((e) => e.name)).toEqual(["x"]);
    expect(archive.comment.startsWith("PK")).toBe(true);
    expect(archive.issues).toEqual([]);
  });

  it("reads only headers of large stored entries", async () => {
    const big = new Uint8Array(4 * 1024 * 1024);
    const zip = buildZip([
      { name: "archive/data/0", data: big },
      { name: "archive/data.pkl", data: "\x80\x02}q\x00." },
    ]);
    const reads: [number, number][] = [];
    const archive = await openZip(source(zip, reads));
    expect(archive.issues).toEqual([]);
    const total = reads.reduce((n, [s, e]) => n + (e - s), 0);
    expect(total).toBeLessThan(70_000);
  });

  it("reads the local headers of many small members in a few grouped reads", async () => {
    const zip = buildZip(Array.from({ length: 300 }, (_, i) => ({ name: `archive/data/${i}`, data: new Uint8Array(100).fill(i & 0xff) })));
    const reads: [number, number][] = [];
    const archive = await openZip(source(zip, reads));
    expect(archive.entries.length).toBe(300);
    expect(archive.issues).toEqual([]);
    expect(reads.length).toBeLessThan(10);
    expect(archive.entries[299]!.localName).toBe("archive/data/299");
  });

  it("reports a local name different from the central name (CVE-2025-1944)", async () => {
    const archive = await openZip(source(buildZip([{ name: "data.pkl", localName: "datap.kl", data: "x" }])));
    expect(kinds(archive.issues)).toEqual(["name-mismatch"]);
    expect(archive.entries[0]!.name).toBe("data.pkl");
    expect(archive.entries[0]!.localName).toBe("datap.kl");
    expect(archive.issues[0]!.evidence).toMatchObject({ centralName: "data.pkl", localName: "datap.kl" });
  });

  it("reports flag bits strict parsers refuse (CVE-2025-1945) and still opens the data", async () => {
    for (const flags of [0x20, 0x40]) {
      const archive = await openZip(source(buildZip([{ name: "m/config.pkl", data: "payload", flags }])));
      expect(kinds(archive.issues)).toEqual(["unusual-flags"]);
      expect(archive.issues[0]!.evidence.refusedByStrictParsers).toBe(true);
      const data = await openEntryData(archive, archive.entries[0]!);
      expect(data.ok && (await readAll(data.source))).toBe("payload");
    }
  });

  it("tells a flipped encryption flag on plain data from real ZipCrypto encryption", async () => {
    const flipped = await openZip(source(buildZip([{ name: "data.pkl", data: "plain", flags: 1 }])));
    expect(kinds(flipped.issues)).toEqual(["encryption-flag"]);
    const open = await openEntryData(flipped, flipped.entries[0]!);
    expect(open.ok && open.plaintextDespiteEncryptionFlag).toBe(true);

    const cipher = new Uint8Array(12 + 5).fill(0xa5);
    const real = await openZip(source(buildZip([{ name: "secret.txt", data: "plain", rawCompressed: cipher, uncompressedSize: 5, flags: 1 }])));
    const refused = await openEntryData(real, real.entries[0]!);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toBe("encrypted");

    const deflatedCipher = await openZip(source(buildZip([{ name: "s.bin", data: "plain", method: "deflate", rawCompressed: new Uint8Array([0xff, 0xff, 0xff, 0x13, 0x37]), flags: 1 }])));
    const refused2 = await openEntryData(deflatedCipher, deflatedCipher.entries[0]!);
    expect(refused2.ok ? "opened" : refused2.reason).toBe("encrypted");
  });

  it("reports CRC mismatches on stored and deflated data (CVE-2025-10156)", async () => {
    for (const method of ["stored", "deflate"] as const) {
      const archive = await openZip(source(buildZip([{ name: "data.pkl", data: "payload bytes", crc32: 0x1234, method }])));
      expect(archive.issues).toEqual([]);
      const data = await openEntryData(archive, archive.entries[0]!);
      expect(data.ok).toBe(true);
      if (!data.ok) return;
      expect(await readAll(data.source)).toBe("payload bytes");
      expect(kinds([...data.issues, ...(await data.finish())])).toEqual(["crc-mismatch"]);
    }
  });

  it("reports duplicate names, symlinks, traversal, absolute paths and backslashes", async () => {
    const archive = await openZip(
      source(
        buildZip([
          { name: "data.pkl", data: "1" },
          { name: "data.pkl", data: "2" },
          zipSymlink("link", "/etc/passwd"),
          { name: "../../evil.sh", data: "x" },
          { name: "/abs.txt", data: "x" },
          { name: "C:\\win.txt", data: "x" },
        ]),
      ),
    );
    expect(kinds(archive.issues)).toEqual(["absolute-path", "absolute-path", "backslash-path", "duplicate-name", "path-traversal", "symlink"]);
    expect(archive.entries[2]!.isSymlink).toBe(true);
  });

  it("reports prepended bytes, shifting offsets like Python's zipfile when needed", async () => {
    for (const shifted of [false, true]) {
      const archive = await openZip(source(buildZip([{ name: "a", data: "abc" }], { prepend: new Uint8Array([0x80, 2, 0x4b, 1, 0x2e]), prependShiftsOffsets: shifted })));
      expect(archive.prependedBytes).toBe(5);
      expect(kinds(archive.issues)).toEqual(shifted ? ["prepended-data"] : ["offsets-shifted", "prepended-data"]);
      const data = await openEntryData(archive, archive.entries[0]!);
      expect(data.ok && (await readAll(data.source))).toBe("abc");
    }
  });

  it("reports trailing data and hidden local entries", async () => {
    const trailing = await openZip(source(buildZip([{ name: "a", data: "abc" }], { append: "tail!" })));
    expect(kinds(trailing.issues)).toEqual(["trailing-data"]);
    expect(trailing.trailingBytes).toBe(5);
    const hidden = await openZip(source(buildZip([{ name: "a", data: "abc" }, { name: "hidden.pkl", data: "evil", omitFromCentral: true }])));
    expect(kinds(hidden.issues)).toEqual(["unreferenced-data"]);
  });

  it("reports overlapping entries", async () => {
    const archive = await openZip(source(buildZip([{ name: "a", data: "abc" }, { name: "b", data: "abc", pointAtEntry: 0 }])));
    expect(kinds(archive.issues)).toContain("overlapping-entries");
    expect(kinds(archive.issues)).toContain("name-mismatch");
  });

  it("checks a stored entry's CRC from what consumers read, reading little more", async () => {
    const content = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);
    const zip = buildZip([{ name: "big.bin", data: content, crc32: 1 }, { name: "small.pkl", data: "payload", crc32: 2 }]);
    const reads: [number, number][] = [];
    const archive = await openZip(source(zip, reads));
    const big = await openEntryData(archive, archive.entries[0]!);
    const small = await openEntryData(archive, archive.entries[1]!);
    if (!big.ok || !small.ok) throw new Error("not opened");
    reads.length = 0;
    await big.source.read(0, 4096);
    expect(await big.finish()).toEqual([]);
    expect(reads.reduce((n, [s, e]) => n + e - s, 0)).toBe(4096);
    await small.source.read(0, 3);
    expect(kinds(await small.finish())).toEqual(["crc-mismatch"]);
    let n = 0;
    for await (const c of big.source.stream()) n += c.length;
    expect(n).toBe(content.length);
  });

  it("handles data descriptors and ZIP64 records and extra fields", async () => {
    const zip = buildZip(
      [
        { name: "dd.bin", data: "descriptor data", method: "deflate", dataDescriptor: true },
        { name: "z64.bin", data: "zip64 data", zip64: true },
      ],
      { zip64: true },
    );
    const archive = await openZip(source(zip));
    expect(archive.issues).toEqual([]);
    expect(archive.zip64).toBe(true);
    expect(archive.entries.map((e) => [e.name, e.hasDataDescriptor, e.zip64, e.uncompressedSize])).toEqual([
      ["dd.bin", true, false, 15],
      ["z64.bin", false, true, 10],
    ]);
    const data = await openEntryData(archive, archive.entries[1]!);
    expect(data.ok && (await readAll(data.source))).toBe("zip64 data");
  });

  it("reports a ZIP64 locator that points elsewhere and reads the record where zipfile looks", async () => {
    const zip = buildZip([{ name: "a", data: "abc" }], { zip64: true });
    const locator = zip.length - 22 - 20;
    new DataView(zip.buffer).setBigUint64(locator + 8, 3n, true);
    const archive = await openZip(source(zip));
    expect(kinds(archive.issues)).toEqual(["zip64-inconsistent"]);
    expect(archive.entries.map((e) => e.name)).toEqual(["a"]);
  });

  it("reports a directory holding more records than the end record declares", async () => {
    const archive = await openZip(source(buildZip([{ name: "a", data: "1" }, { name: "b", data: "2" }], { declaredEntries: 1 })));
    // The unlisted entry's bytes are also unaccounted for: the analyzer hands them over as hidden data.
    expect(kinds(archive.issues)).toEqual(["entry-count-mismatch", "unreferenced-data"]);
    expect(archive.issues.find((i) => i.kind === "entry-count-mismatch")!.evidence.moreRecords).toBe(true);
    expect(archive.entries.map((e) => e.name)).toEqual(["a"]);
  });

  it("reads names as CP437 without the UTF-8 flag and as UTF-8 with it", async () => {
    const archive = await openZip(source(buildZip([{ name: "caf\u00e9", data: "1", utf8: true }])));
    expect(archive.entries[0]!.name).toBe("caf\u00e9");
    expect(archive.issues).toEqual([]);
  });

  it("reports size disagreements between local and central headers", async () => {
    const archive = await openZip(source(buildZip([{ name: "a", data: "abcdef", localCompressedSize: 3, localUncompressedSize: 3 }])));
    expect(kinds(archive.issues)).toEqual(["size-mismatch"]);
  });

  it("never inflates past the declared size", async () => {
    const bomb = new Uint8Array(10 * 1024 * 1024);
    const archive = await openZip(source(buildZip([{ name: "z", data: bomb, method: "deflate", uncompressedSize: 1000 }])));
    const data = await openEntryData(archive, archive.entries[0]!);
    expect(data.ok).toBe(true);
    if (!data.ok) return;
    expect(data.source.size).toBe(1000);
    expect((await data.source.read(0, 1e9)).length).toBe(1000);
    expect(kinds(data.issues)).toEqual(["size-mismatch"]);
  });

  it("inflates large deflated entries on demand, span by span", async () => {
    const content = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
    const archive = await openZip(source(buildZip([{ name: "big", data: content, method: "deflate" }])));
    const data = await openEntryData(archive, archive.entries[0]!, { bufferLimit: 1024 * 1024 });
    expect(data.ok && !data.verified).toBe(true);
    if (!data.ok) return;
    expect(data.source.size).toBe(content.length);
    expect(Array.from(await data.source.read(2_000_000, 2_000_010))).toEqual(Array.from(content.subarray(2_000_000, 2_000_010)));
    let n = 0;
    for await (const chunk of data.source.stream()) n += chunk.length;
    expect(n).toBe(content.length);
  });

  it("reports corrupt deflate data and unsupported methods", async () => {
    const corrupt = await openZip(source(buildZip([{ name: "c", data: "abc", method: "deflate", rawCompressed: new Uint8Array([0xff, 0xee, 0xdd]) }])));
    const data = await openEntryData(corrupt, corrupt.entries[0]!);
    expect(data.ok && kinds(data.issues)).toContain("data-corrupt");
    const lzma = await openZip(source(buildZip([{ name: "l", data: "abc", method: 14 }])));
    expect(kinds(lzma.issues)).toEqual(["unsupported-method"]);
    const opened = await openEntryData(lzma, lzma.entries[0]!);
    expect(opened.ok ? "ok" : opened.reason).toBe("unsupported-method");
  });

  it("never throws on garbage, truncation or lying counts", async () => {
    const good = buildZip([{ name: "a", data: "abc" }, { name: "b", data: "def" }]);
    expect(kinds((await openZip(source(new Uint8Array(100).fill(7)))).issues)).toEqual(["eocd-missing"]);
    for (let cut = 1; cut < good.length; cut += 7) {
      const archive = await openZip(source(good.subarray(0, cut)));
      expect(archive.issues.length).toBeGreaterThan(0);
    }
    const lying = await openZip(source(buildZip([{ name: "a", data: "abc" }], { declaredEntries: 5 })));
    expect(kinds(lying.issues)).toContain("central-directory-truncated");
    expect(lying.truncated).toBe(true);
    const limited = await openZip(source(buildZip([{ name: "a" }, { name: "b" }, { name: "c" }])), { maxEntries: 2 });
    expect(limited.entries.length).toBe(2);
    expect(kinds(limited.issues)).toEqual(["too-many-entries"]);
  });
});
