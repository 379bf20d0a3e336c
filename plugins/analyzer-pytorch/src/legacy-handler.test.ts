import {
  buildLegacyTorch,
  buildLegacyTorchTar,
  concatBytes,
  memoryFile,
  pickle,
  recordingContext,
  torchLegacyKeysPickle,
  torchLegacyProtocolPickle,
  torchLegacySysInfoPickle,
  torchStateDictPickle,
  TORCH_LEGACY_MAGIC,
  type Recording,
} from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { pytorchAnalyzer } from "./pytorch-analyzer.js";
import { payloadP2 } from "./test-fixtures.js";

async function analyze(bytes: Uint8Array, path = "model.pt"): Promise<Recording> {
  const file = memoryFile(path, bytes);
  const { ctx, recording } = recordingContext();
  expect(pytorchAnalyzer.match(file, bytes.subarray(0, 4096), bytes.subarray(Math.max(0, bytes.length - 4096)))).toBe(true);
  await pytorchAnalyzer.analyze(file, ctx);
  return recording;
}

const PREFIX = TORCH_LEGACY_MAGIC.length + torchLegacyProtocolPickle().length + torchLegacySysInfoPickle().length;
const rules = (r: Recording) => r.findings.map((f) => `${f.severity ?? "default"} ${f.ruleId}`);

describe("legacy torch files", () => {
  it("walks magic, protocol, sys_info, object and keys pickles and skips the storages", async () => {
    const bytes = buildLegacyTorch();
    const r = await analyze(bytes);
    expect(r.findings).toEqual([]);
    expect(r.incomplete).toEqual([]);
    // The literal magic is verified in place; every other stream is handed over by a stable name.
    expect(r.nested.map((n) => n.name)).toEqual([`pickle#1@15`, `pickle#2@21`, `pickle#3@${PREFIX}`, expect.stringMatching(/^pickle#4@\d+$/)]);
    expect(r.nested[2]!.bytes[0]).toBe(0x80);
    expect(r.facts).toMatchObject({ format: "pytorch", properties: { layout: "legacy", storages: 2, tensors: 2, parameters: 8, byteorder: "little", protocolVersion: 1001 } });
  });

  it("reads the element counts big-endian when sys_info says so", async () => {
    const tensors = { w: { shape: [3], key: "1" } };
    const count = new Uint8Array(8);
    new DataView(count.buffer).setBigInt64(0, 3n, false);
    const bytes = concatBytes(TORCH_LEGACY_MAGIC, torchLegacyProtocolPickle(), torchLegacySysInfoPickle(false), torchStateDictPickle(tensors, true), torchLegacyKeysPickle(["1"]), count, new Uint8Array(12));
    const r = await analyze(bytes);
    expect(r.findings).toEqual([]);
    expect(r.facts.properties).toMatchObject({ byteorder: "big", parameters: 3 });
  });

  it("reports trailing bytes after the last storage and hands them over", async () => {
    const r = await analyze(buildLegacyTorch({ append: new Uint8Array(100).fill(0xaa) }));
    expect(rules(r)).toEqual(["default pytorch/legacy-trailing-data"]);
    expect(r.nested.at(-1)!.name).toMatch(/^trailing@\d+$/);
    expect(r.nested.at(-1)!.bytes.length).toBe(100);
  });

  it("reports every pickle after the storages as an extra stream, each handed over", async () => {
    const r = await analyze(buildLegacyTorch({ append: concatBytes(payloadP2(), payloadP2()) }));
    expect(rules(r)).toEqual(["default pytorch/legacy-extra-stream"]);
    expect(r.findings[0]!.evidence).toMatchObject({ streams: 2 });
    expect(r.nested.slice(-2).map((n) => n.name)).toEqual([expect.stringMatching(/^pickle#5@/), expect.stringMatching(/^pickle#6@/)]);
  });

  it("reports an element count that disagrees with the object pickle and analyzes the rest", async () => {
    const bytes = buildLegacyTorch({ tensors: { w: { shape: [2], key: "k" } } });
    const view = new DataView(bytes.buffer);
    view.setBigInt64(bytes.length - 8 - 8, 1000n, true);
    const r = await analyze(bytes);
    expect(rules(r)).toEqual(["default pytorch/malformed-layout"]);
    expect(r.nested.at(-1)!.name).toMatch(/^unparsed@\d+$/);
  });

  it("reports a truncated storage section without reading past the end", async () => {
    const bytes = buildLegacyTorch();
    const r = await analyze(bytes.subarray(0, bytes.length - 5));
    expect(rules(r)).toEqual(["default pytorch/malformed-layout"]);
  });

  it("reports a storage-keys pickle that is not a list", async () => {
    const bytes = concatBytes(TORCH_LEGACY_MAGIC, torchLegacyProtocolPickle(), torchLegacySysInfoPickle(), torchStateDictPickle({}, true), pickle().proto(2).binInt(7).stop().toBytes());
    expect(rules(await analyze(bytes))).toEqual(["high pytorch/malformed-layout"]);
  });

  it("reports a protocol pickle that is not 1001 and a missing object pickle", async () => {
    const wrong = concatBytes(TORCH_LEGACY_MAGIC, pickle().proto(2).binInt(1002).stop().toBytes(), torchLegacySysInfoPickle(), torchStateDictPickle({}, true), torchLegacyKeysPickle([]));
    expect(rules(await analyze(wrong))).toEqual(["default pytorch/malformed-layout"]);
    const short = concatBytes(TORCH_LEGACY_MAGIC, torchLegacyProtocolPickle());
    expect(rules(await analyze(short))).toEqual(["default pytorch/malformed-layout"]);
  });

  it("recognises the magic pickle written at protocol 4 (with FRAME)", async () => {
    const magic4 = pickle().proto(4).frame(13).raw([0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]).stop().toBytes();
    const r = await analyze(buildLegacyTorch({ magic: magic4 }));
    expect(r.findings).toEqual([]);
  });

  it("does not claim the magic pickle alone (a member it handed over)", () => {
    expect(pytorchAnalyzer.match(memoryFile("pickle#0@0", TORCH_LEGACY_MAGIC), TORCH_LEGACY_MAGIC, TORCH_LEGACY_MAGIC)).toBe(false);
  });
});

describe("legacy torch tar layout", () => {
  it("describes the four-member layout", async () => {
    const r = await analyze(buildLegacyTorchTar());
    expect(r.findings).toEqual([]);
    expect(r.facts).toMatchObject({ format: "pytorch", properties: { layout: "legacy-tar", members: 4 } });
  });

  it("reports a missing member, extra members and a pickle among them", async () => {
    const r = await analyze(buildLegacyTorchTar([{ name: "notes.txt", data: "hi" }, { name: "payload", data: payloadP2() }], ["tensors"]));
    expect(rules(r).sort()).toEqual(["default pytorch/hidden-pickle", "default pytorch/malformed-layout", "low pytorch/unexpected-member"]);
  });
});
