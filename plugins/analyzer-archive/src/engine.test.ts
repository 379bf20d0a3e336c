import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { definePlugin, type Analyzer } from "@modelward/core";
import { AnalyzerTester, allFindings, buildTar, buildZip, incompleteReasons } from "@modelward/testing";
import archive from "./index.js";
import { sevenZipFixture } from "./test-fixtures.js";

// Stands in for the pickle analyzer (another package): it flags any artifact that
// starts like a binary pickle, proving the member reached the engine's dispatch.
const probe: Analyzer = {
  id: "probe",
  version: 1,
  description: "test probe: flags binary pickles",
  formats: ["pickle"],
  rules: [
    {
      id: "probe/pickle-seen",
      title: "pickle reached dispatch",
      description: "test rule",
      remediation: "none",
      defaultSeverity: "critical",
      category: "deserialization",
      taxonomy: { cwe: ["CWE-502"] },
      references: ["https://example.invalid/probe"],
    },
  ],
  match: (_file, head) => head[0] === 0x80 && (head[1] ?? 9) <= 5,
  async analyze(_file, ctx) {
    ctx.report({ ruleId: "probe/pickle-seen", message: "pickle seen" });
  },
};
const probePlugin = definePlugin({ apiVersion: 1, meta: { name: "probe-plugin", version: "0.0.0", namespace: "probe" }, analyzers: { probe } });

const PICKLE = new Uint8Array([0x80, 0x02, ...new TextEncoder().encode("cposix\nsystem\nX\x07\x00\x00\x00echo hi\x85R.")]);
const tester = new AnalyzerTester({ plugins: [archive, probePlugin] });

async function chains(path: string, bytes: Uint8Array) {
  const report = await tester.scan(path, bytes);
  return {
    report,
    seen: allFindings(report)
      .filter((f) => f.ruleId === "probe/pickle-seen")
      .map((f) => [f.location.path, ...f.location.members].join(" ▸ ")),
    rules: allFindings(report)
      .filter((f) => f.ruleId.startsWith("archive/"))
      .map((f) => `${f.ruleId}:${f.severity}`)
      .sort(),
  };
}

describe("archive plugin through the engine", () => {
  it("C12: dispatches a pickle nested zip ▸ zip ▸ data.pkl with its container chain", async () => {
    const inner = buildZip([{ name: "archive/data.pkl", data: PICKLE, method: "deflate" }]);
    const { seen, rules, report } = await chains("outer.zip", buildZip([{ name: "inner.zip", data: inner }]));
    expect(seen).toEqual(["outer.zip ▸ inner.zip ▸ archive/data.pkl"]);
    expect(rules).toEqual([]);
    expect(incompleteReasons(report)).toEqual([]);
    expect(report.files.find((f) => f.members.length === 0)?.format).toBe("zip");
  });

  it("dispatches .tar.gz members: gzip ▸ tar ▸ pickle", async () => {
    const tgz = new Uint8Array(gzipSync(buildTar([{ name: "model/data.pkl", data: PICKLE }])));
    const { seen, rules } = await chains("model.tar.gz", tgz);
    expect(seen).toEqual(["model.tar.gz ▸ model.tar ▸ model/data.pkl"]);
    expect(rules).toEqual([]);
  });

  it("C6: dispatches a pickle inside a 7z", async () => {
    const { seen } = await chains("model.7z", await sevenZipFixture("7z", { "weights.data0": PICKLE }));
    expect(seen).toEqual(["model.7z ▸ weights.data0"]);
  });

  it("C2/C3/C4: reports the container trick and still dispatches the pickle", async () => {
    for (const [entry, rule] of [
      [{ localName: "datap.kl" }, "archive/zip-name-mismatch:high"],
      [{ flags: 0x1 }, "archive/zip-flag-bits:high"],
      [{ crc32: 1 }, "archive/zip-crc-mismatch:high"],
    ] as const) {
      const { seen, rules } = await chains("model.pt", buildZip([{ name: "archive/data.pkl", data: PICKLE, ...entry }]));
      expect(rules).toEqual([rule]);
      expect(seen).toEqual(["model.pt ▸ archive/data.pkl"]);
    }
  });

  it("reads only headers of a zip whose members nobody claims", async () => {
    const storage = new Uint8Array(8 * 1024 * 1024).fill(1);
    const zip = buildZip([{ name: "a/data.pkl", data: PICKLE }, { name: "a/data/0", data: storage }, { name: "a/data/1", data: storage }]);
    const { report, seen } = await chains("big.pt", zip);
    expect(seen).toEqual(["big.pt ▸ a/data.pkl"]);
    expect(report.summary.bytesRead).toBeLessThan(64 * 1024);
  });

  tester.run("archive valid/invalid table", {
    valid: [
      { name: "a zip of text files", path: "docs.zip", bytes: () => buildZip([{ name: "a.txt", data: "a" }, { name: "b/c.md", data: "# c", method: "deflate" }]) },
      { name: "a tar of text files", path: "docs.tar", bytes: () => buildTar([{ name: "a.txt", data: "a" }, { name: "dir", type: "dir" }]) },
    ],
    invalid: [
      { name: "zip-slip", path: "x.zip", bytes: () => buildZip([{ name: "../../../etc/evil.txt", data: "x" }]), findings: [{ ruleId: "archive/path-traversal", severity: "high" }] },
      {
        name: "encrypted member (C17)",
        path: "p.zip",
        bytes: () => buildZip([{ name: "test.txt", data: "abc", rawCompressed: new Uint8Array(15).fill(3), uncompressedSize: 3, flags: 1 }]),
        findings: [{ ruleId: "archive/encrypted-member", severity: "low" }],
        allowIncomplete: true,
      },
    ],
  });
});
