import { describe, expect, it } from "vitest";
import { memoryFile, recordingContext, sevenZipEmptyFiles } from "@modelward/testing";
import { describeSevenZipFailure, sevenZipHandler } from "./sevenzip-handler.js";
import { sevenZipFixture } from "./test-fixtures.js";

const PICKLE = new Uint8Array([0x80, 0x02, ...new TextEncoder().encode("cposix\nsystem\nX\x07\x00\x00\x00echo hi\x85R.")]);

async function scan(bytes: Uint8Array, limits = {}) {
  const { ctx, recording } = recordingContext({ limits });
  const file = memoryFile("model.7z", bytes);
  expect(sevenZipHandler.match(file, bytes.subarray(0, 4096), new Uint8Array(0))).toBe(true);
  await sevenZipHandler.analyze(file, ctx);
  return { recording, rules: recording.findings.map((f) => f.ruleId).sort() };
}

describe("7z analyzer", () => {
  it("C6/C7: hands every member of a 7z over whatever its name", async () => {
    const archive = await sevenZipFixture("7z", { "archive/data.pkl": PICKLE, "weights.data0": PICKLE, "README.txt": "hi" });
    const { recording, rules } = await scan(archive);
    expect(rules).toEqual([]);
    expect(recording.incomplete).toEqual([]);
    expect(recording.nested.map((n) => n.name).sort()).toEqual(["README.txt", "archive/data.pkl", "weights.data0"]);
    expect(Array.from(recording.nested.find((n) => n.name === "weights.data0")!.bytes)).toEqual(Array.from(PICKLE));
    expect(recording.facts).toMatchObject({ format: "7z", properties: { files: 3 } });
  });

  it("reports encrypted members as not analyzed", async () => {
    const archive = await sevenZipFixture("7z", { "secret.pkl": PICKLE }, ["-psecret"]);
    const { recording, rules } = await scan(archive);
    expect(rules).toEqual(["archive/encrypted-member"]);
    expect(recording.incomplete.length).toBe(1);
    expect(recording.nested).toEqual([]);
  });

  it("reports an archive with encrypted headers as not listable", async () => {
    const archive = await sevenZipFixture("7z", { "secret.pkl": PICKLE }, ["-psecret", "-mhe=on"]);
    const { recording, rules } = await scan(archive);
    expect(rules).toEqual(["archive/malformed"]);
    expect(recording.incomplete.length).toBe(1);
  });

  it("reports a corrupt 7z without throwing and keeps the process exit code", async () => {
    const archive = await sevenZipFixture("7z", { "data.pkl": PICKLE });
    const broken = archive.slice(0, 40);
    process.exitCode = undefined;
    const { recording, rules } = await scan(broken);
    expect(rules).toEqual(["archive/malformed"]);
    expect(recording.incomplete.length).toBe(1);
    expect(process.exitCode).toBeUndefined();
  });

  it("refuses archives larger than it may unpack in memory", async () => {
    const archive = await sevenZipFixture("7z", { "data.pkl": PICKLE });
    const { recording, rules } = await scan(archive, { maxReadBytes: 100 });
    expect(rules).toEqual(["archive/not-analyzed"]);
    expect(recording.incomplete.length).toBe(1);
  });

  it("reports a 7z bomb by ratio before extracting", async () => {
    const archive = await sevenZipFixture("7z", { "zeros.bin": new Uint8Array(32 * 1024 * 1024) });
    const { recording, rules } = await scan(archive, { maxCompressionRatio: 100 });
    expect(rules).toEqual(["archive/decompression-bomb"]);
    expect(recording.nested).toEqual([]);
  });

  it("lists members as 7-Zip prints them and hands each one over (a hand-built header of empty files)", async () => {
    const { recording, rules } = await scan(sevenZipEmptyFiles(300));
    expect(rules).toEqual([]);
    expect(recording.incomplete).toEqual([]);
    expect(recording.nested).toHaveLength(300);
    expect(recording.nested.every((n) => n.bytes.length === 0)).toBe(true);
  });

  it("stops a listing past maxMembersPerContainer: an entry bomb, incomplete, nothing extracted", async () => {
    const { recording, rules } = await scan(sevenZipEmptyFiles(5_000), { maxMembersPerContainer: 100 });
    expect(rules).toEqual(["archive/entry-bomb"]);
    expect(recording.incomplete).toEqual([expect.stringContaining("more than maxMembersPerContainer (100)")]);
    expect(recording.nested).toEqual([]);
  });

  it("describes WASM failures in words, never as a raw exception number", () => {
    expect(describeSevenZipFailure(264064)).toBe("7-Zip stopped with an internal error (out of memory, or data it cannot decode)");
    expect(describeSevenZipFailure(new Error("Aborted(OOM)"))).toMatch(/^7-Zip aborted/);
  });
});
