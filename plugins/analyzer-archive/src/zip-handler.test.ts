import { describe, expect, it } from "vitest";
import { isAtLeast, type Severity } from "@modelward/core";
import { buildZip, memoryFile, recordingContext, zipSymlink } from "@modelward/testing";
import { ALL_RULES } from "./rules.js";
import { zipHandler } from "./zip-handler.js";

// A harmless protocol-2 pickle that would import posix.system and call it with "echo hi".
const PICKLE = new Uint8Array([
  0x80, 0x02, ...new TextEncoder().encode("cposix\nsystem\nq\x00X\x07\x00\x00\x00echo hiq\x01\x85q\x02Rq\x03."),
]);
const head = (b: Uint8Array) => b.subarray(0, 4096);
const tail = (b: Uint8Array) => b.subarray(Math.max(0, b.length - 4096));

async function scan(bytes: Uint8Array, name = "model.zip", limits = {}) {
  const { ctx, recording } = recordingContext({ limits });
  const file = memoryFile(name, bytes);
  expect(zipHandler.match(file, head(bytes), tail(bytes))).toBe(true);
  await zipHandler.analyze(file, ctx);
  const rules = recording.findings.map((f) => f.ruleId);
  return { recording, rules };
}

const severityOf = (rule: string) => (f: { ruleId: string; severity?: Severity }) =>
  f.ruleId === rule ? (f.severity ?? ALL_RULES.find((r) => r.id === rule)!.defaultSeverity) : undefined;

describe("zip analyzer", () => {
  it("is clean on a benign zip of text files and an npz of float arrays, and hands every member over", async () => {
    const npy = new Uint8Array([0x93, ...new TextEncoder().encode("NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"), ...new Uint8Array(16)]);
    for (const zip of [
      buildZip([{ name: "README.txt", data: "hello" }, { name: "docs/", data: "" }, { name: "docs/a.md", data: "# a ".repeat(500), method: "deflate" }]),
      buildZip([{ name: "a.npy", data: npy }, { name: "b.npy", data: npy, method: "deflate" }]),
    ]) {
      const { recording } = await scan(zip);
      expect(recording.findings.filter((f) => isAtLeast(f.severity ?? "info", "medium"))).toEqual([]);
      expect(recording.findings).toEqual([]);
      expect(recording.incomplete).toEqual([]);
      expect(recording.nested.length).toBe(2);
      expect(recording.facts.format).toBe("zip");
    }
  });

  it("C1: hands a pickle named data.txt / config.json over by content, not extension", async () => {
    const { recording, rules } = await scan(buildZip([{ name: "data.txt", data: PICKLE }, { name: "archive/config.json", data: PICKLE, method: "deflate" }]));
    expect(rules).toEqual([]);
    expect(recording.nested.map((n) => n.name)).toEqual(["data.txt", "archive/config.json"]);
    expect(Array.from(recording.nested[1]!.bytes)).toEqual(Array.from(PICKLE));
  });

  it("C2: reports a local/central name mismatch and hands the member over under its central name", async () => {
    const { recording, rules } = await scan(buildZip([{ name: "data.pkl", localName: "datap.kl", data: PICKLE }]));
    expect(rules).toEqual(["archive/zip-name-mismatch"]);
    expect(recording.findings[0]!.evidence).toMatchObject({ centralName: "data.pkl", localName: "datap.kl" });
    expect(recording.nested.map((n) => n.name)).toEqual(["data.pkl"]);
  });

  it("C3: reports flag bits 0x1, 0x20 and 0x40 as high and still hands the plain data over", async () => {
    for (const flags of [0x1, 0x20, 0x40]) {
      const { recording, rules } = await scan(buildZip([{ name: "model/config.pkl", data: PICKLE, flags }]));
      expect(rules).toEqual(["archive/zip-flag-bits"]);
      expect(recording.findings.map(severityOf("archive/zip-flag-bits"))).toEqual(["high"]);
      expect(recording.nested.map((n) => n.name)).toEqual(["model/config.pkl"]);
      expect(Array.from(recording.nested[0]!.bytes)).toEqual(Array.from(PICKLE));
    }
  });

  it("reports reserved flag bits as low", async () => {
    const { recording } = await scan(buildZip([{ name: "a.txt", data: "x", flags: 0x4000 }]));
    expect(recording.findings.map(severityOf("archive/zip-flag-bits"))).toEqual(["low"]);
  });

  it("C4: reports a CRC mismatch and hands the member over", async () => {
    for (const method of ["stored", "deflate"] as const) {
      const { recording, rules } = await scan(buildZip([{ name: "data.pkl", data: PICKLE, crc32: 0xdeadbeef, method }]));
      expect(rules).toEqual(["archive/zip-crc-mismatch"]);
      expect(recording.nested.map((n) => n.name)).toEqual(["data.pkl"]);
    }
  });

  it("C12: hands a nested zip over as a member (the engine recurses into it)", async () => {
    const inner = buildZip([{ name: "data.pkl", data: PICKLE }]);
    const { recording, rules } = await scan(buildZip([{ name: "inner.zip", data: inner }, { name: "w.npz", data: inner, method: "deflate" }]));
    expect(rules).toEqual([]);
    expect(recording.nested.map((n) => n.name)).toEqual(["inner.zip", "w.npz"]);
    expect(Array.from(recording.nested[1]!.bytes)).toEqual(Array.from(inner));
  });

  it("C17: reports a really encrypted member as not analyzed", async () => {
    const cipher = new Uint8Array(12 + PICKLE.length).map((_, i) => (i * 37) & 0xff);
    const { recording, rules } = await scan(buildZip([{ name: "test.txt", data: PICKLE, rawCompressed: cipher, uncompressedSize: PICKLE.length, flags: 1 }]));
    expect(rules).toEqual(["archive/encrypted-member"]);
    expect(recording.incomplete.some((r) => r.includes("encrypted"))).toBe(true);
    expect(recording.nested).toEqual([]);
  });

  it("reports zip-slip, absolute paths and symlinks", async () => {
    const { recording, rules } = await scan(
      buildZip([{ name: "../../../etc/evil.txt", data: "x" }, { name: "/abs", data: "x" }, zipSymlink("model/link", "/etc/passwd"), zipSymlink("ok-link", "weights.bin")]),
    );
    expect(rules.sort()).toEqual(["archive/link-entry", "archive/link-entry", "archive/path-traversal", "archive/path-traversal"]);
    const links = recording.findings.filter((f) => f.ruleId === "archive/link-entry");
    expect(links.map((l) => [l.evidence?.target, l.severity])).toEqual([
      ["/etc/passwd", "high"],
      ["weights.bin", "medium"],
    ]);
    expect(recording.nested.map((n) => n.name)).toEqual(["../../../etc/evil.txt", "/abs"]);
  });

  it("reports duplicate names and hands both members over", async () => {
    const { recording, rules } = await scan(buildZip([{ name: "data.pkl", data: "benign" }, { name: "data.pkl", data: PICKLE }]));
    expect(rules).toEqual(["archive/zip-duplicate-name"]);
    expect(recording.nested.length).toBe(2);
  });

  it("hands prepended, trailing and hidden data over as their own artifacts", async () => {
    const prepended = await scan(buildZip([{ name: "a.txt", data: "x" }], { prepend: PICKLE, prependShiftsOffsets: true }));
    expect(prepended.rules).toEqual(["archive/zip-prepended-data"]);
    expect(prepended.recording.nested.map((n) => n.name)).toEqual(["<prepended>", "a.txt"]);
    expect(Array.from(prepended.recording.nested[0]!.bytes)).toEqual(Array.from(PICKLE));

    const trailing = await scan(buildZip([{ name: "a.txt", data: "x" }], { append: PICKLE }));
    expect(trailing.rules).toEqual(["archive/zip-trailing-data"]);
    expect(trailing.recording.nested.map((n) => n.name)).toEqual(["a.txt", "<trailing>"]);

    const hidden = await scan(buildZip([{ name: "a.txt", data: "x" }, { name: "evil.pkl", data: PICKLE, method: "deflate", omitFromCentral: true }]));
    expect(hidden.rules.sort()).toEqual(["archive/zip-hidden-data", "archive/zip-hidden-data"]);
    const h = hidden.recording.nested.find((n) => n.name.endsWith("/evil.pkl"));
    expect(h && Array.from(h.bytes)).toEqual(Array.from(PICKLE));
  });

  it("reports overlapping entries", async () => {
    const { rules } = await scan(buildZip([{ name: "a", data: "abc" }, { name: "a", data: "abc", pointAtEntry: 0 }]));
    expect(rules).toContain("archive/zip-overlapping-entries");
  });

  it("analyses data that overlapping entries share once per name class, and names alike in other classes each", async () => {
    const entries = [{ name: "m0.txt", data: PICKLE }, ...Array.from({ length: 50 }, (_, i) => ({ name: `m${i + 1}.txt`, data: PICKLE, pointAtEntry: 0 }))];
    entries.push({ name: "requirements.txt", data: PICKLE, pointAtEntry: 0 });
    const { recording, rules } = await scan(buildZip(entries));
    expect(rules).toContain("archive/zip-overlapping-entries");
    // (The builder still writes the unused local headers of the pointing entries: one hidden region.)
    expect(recording.nested.map((n) => n.name).filter((n) => !n.startsWith("<hidden@"))).toEqual(["m0.txt", "requirements.txt"]);
    expect(recording.facts.properties).toMatchObject({ membersSharingAnalysedData: 50 });
    // A member that declares another CRC for the same bytes is not the same member: analysed (and its CRC checked).
    const lying = await scan(buildZip([{ name: "a1.bin", data: PICKLE }, { name: "a2.bin", data: PICKLE, pointAtEntry: 0, crc32: 0x1234 }]));
    expect(lying.recording.nested.map((n) => n.name).filter((n) => !n.startsWith("<hidden@"))).toEqual(["a1.bin", "a2.bin"]);
  });

  it("reports a decompression bomb by ratio without inflating it", async () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const { recording, rules } = await scan(buildZip([{ name: "bomb.bin", data: zeros, method: "deflate" }]), "bomb.zip", { maxCompressionRatio: 100 });
    expect(rules).toEqual(["archive/decompression-bomb"]);
    expect(recording.nested).toEqual([]);
    expect(recording.incomplete.length).toBe(1);
  });

  it("enforces maxExpandedBytes across members", async () => {
    const data = "y".repeat(4000);
    const { recording, rules } = await scan(
      buildZip([{ name: "1", data, method: "deflate" }, { name: "2", data, method: "deflate" }, { name: "3", data, method: "deflate" }]),
      "m.zip",
      { maxExpandedBytes: 9000 },
    );
    expect(rules).toEqual(["archive/decompression-bomb"]);
    expect(recording.nested.map((n) => n.name)).toEqual(["1", "2"]);
  });

  it("enforces maxMembersPerContainer", async () => {
    const { recording, rules } = await scan(buildZip([{ name: "1", data: "a" }, { name: "2", data: "b" }, { name: "3", data: "c" }]), "m.zip", { maxMembersPerContainer: 2 });
    expect(rules).toEqual(["archive/entry-bomb"]);
    expect(recording.nested.length).toBe(2);
    expect(recording.incomplete.length).toBeGreaterThan(0);
  });

  it("reports truncated archives and unsupported methods as incomplete, never throwing", async () => {
    const good = buildZip([{ name: "data.pkl", data: PICKLE }, { name: "x.lzma", data: "abc", method: 14 }]);
    const { rules, recording } = await scan(good);
    expect(rules).toEqual(["archive/unsupported-compression"]);
    expect(recording.nested.map((n) => n.name)).toEqual(["data.pkl"]);
    for (let cut = 4; cut < good.length; cut += 5) {
      const bytes = good.subarray(0, cut);
      const { ctx, recording: r } = recordingContext();
      await zipHandler.analyze(memoryFile("t.zip", bytes), ctx);
      expect(r.findings.length + r.incomplete.length).toBeGreaterThan(0);
    }
  });

  it("recovers members from local headers when the central directory is cut off", async () => {
    const zip = buildZip([{ name: "a.txt", data: "hello" }, { name: "data.pkl", data: PICKLE, method: "deflate" }]);
    const cdStart = zip.length - 22 - 2 * (46 + 5) - 3;
    const { recording, rules } = await scan(zip.subarray(0, cdStart + 10));
    expect(rules).toEqual(["archive/malformed", "archive/malformed"]);
    expect(recording.nested.map((n) => n.name)).toEqual(["a.txt", "data.pkl"]);
    expect(Array.from(recording.nested[1]!.bytes)).toEqual(Array.from(PICKLE));
  });

  it("matches zips by content whatever the extension", () => {
    const zip = buildZip([{ name: "a", data: "b" }]);
    expect(zipHandler.match(memoryFile("model.bin", zip), head(zip), tail(zip))).toBe(true);
    expect(zipHandler.match(memoryFile("a.zip", PICKLE), head(PICKLE), tail(PICKLE))).toBe(false);
    // A stray end-record signature inside other data is not a zip.
    const stray = new Uint8Array(8192).fill(0x41);
    stray.set([0x50, 0x4b, 0x05, 0x06], 6000);
    expect(zipHandler.match(memoryFile("w.gguf", stray), head(stray), tail(stray))).toBe(false);
    // A zip behind a prepended stub is.
    const sfx = buildZip([{ name: "a", data: "b" }], { prepend: new Uint8Array(5000).fill(0x4d) });
    expect(zipHandler.match(memoryFile("setup.exe", sfx), head(sfx), tail(sfx))).toBe(true);
  });
});
