import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { isAtLeast, type ScanReport } from "@modelward/core";
import { buildLegacyTorch, buildTar, buildTorchZip, buildZip, npyFile, pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

// Ordinary artifacts in ordinary containers: the whole recommended preset must stay quiet
// (nothing at medium or above, nothing incomplete, exit 0).
const enc = (s: string) => new TextEncoder().encode(s);
const dataPickle = pickle().proto(4).emptyDict().shortBinUnicode("lr").binFloat(0.001).setItem().stop().bytes_();
const tree: Record<string, Uint8Array> = {
  "release.tar.gz": new Uint8Array(
    gzipSync(buildTar([{ name: "pkg/README.md", data: enc("# model\n") }, { name: "pkg/config.pkl", data: dataPickle }, { name: "pkg/model.pt", data: buildTorchZip() }])),
  ),
  "bundle.zip": buildZip([{ name: "weights/model.pt", data: buildTorchZip({ prefix: "model" }) }, { name: "legacy.bin", data: buildLegacyTorch(), method: "deflate" }]),
  "arrays.npz": buildZip([{ name: "a.npy", data: npyFile({ descr: "<f4", shape: [4], data: new Uint8Array(16) }) }]),
  "notes.txt.gz": new Uint8Array(gzipSync(enc("plain notes\n"))),
};

describe("benign containers through the built CLI", () => {
  it("raise nothing at medium or above and exit 0", async () => {
    const root = mkdtempSync(join(tmpdir(), "mw-benign-"));
    for (const [path, bytes] of Object.entries(tree)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), bytes);
    }
    const { code, stdout } = await runBuiltCli(["scan", root, "-f", "json"], root);
    const report = JSON.parse(stdout) as ScanReport;
    const loud = report.files.flatMap((f) =>
      f.findings.filter((x) => isAtLeast(x.severity, "medium")).map((x) => `${[f.path, ...f.members].join(" ▸ ")}: ${x.severity} ${x.ruleId} ${x.message}`),
    );
    expect(loud).toEqual([]);
    expect(report.files.filter((f) => f.status === "incomplete").map((f) => f.incomplete)).toEqual([]);
    expect(report.files.some((f) => f.members.length >= 2), "nested members were analysed").toBe(true);
    expect(code).toBe(0);
  });
});
