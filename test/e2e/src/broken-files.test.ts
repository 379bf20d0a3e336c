import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildLegacyTorch, buildTorchZip, buildZip, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

// Issue #2: "A broken hostile file never exits 0 under the defaults." Each of these is a benign
// artifact broken the way a scanner-evading one would be; the default scan must fail on each.
const plain = pickle().proto(4).emptyDict().shortBinUnicode("a").binInt(1).setItem().stop().toBytes();
const half = (b: Uint8Array) => b.subarray(0, Math.floor(b.length / 2));
const broken: Record<string, Uint8Array> = {
  "truncated.pkl": plain.subarray(0, plain.length - 3),
  "invalid-opcode.pkl": Uint8Array.from([...plain.subarray(0, 4), 0xff, ...plain.subarray(4)]),
  "truncated.zip": buildZip([{ name: "a/data.pkl", data: plain }]).subarray(0, -10),
  "truncated.pt": half(buildTorchZip()),
  "truncated-legacy.bin": half(buildLegacyTorch()),
};

describe("broken files through the built CLI", () => {
  it.each(Object.keys(broken))("%s exits 1 under the defaults", async (name) => {
    const dir = mkdtempSync(join(tmpdir(), "mw-broken-"));
    writeFileSync(join(dir, name), broken[name]!);
    const { code, stdout } = await runBuiltCli(["scan", join(dir, name)], dir);
    expect(code, stdout).toBe(1);
  });
});
