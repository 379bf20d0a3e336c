import { describe, expect, it } from "vitest";
import { buildTar, memoryFile, recordingContext } from "@modelward/testing";
import { tarHandler } from "./tar-handler.js";
import { readTar } from "./tar-reader.js";

const PICKLE = new Uint8Array([0x80, 0x02, ...new TextEncoder().encode("cposix\nsystem\nX\x07\x00\x00\x00echo hi\x85R.")]);
const head = (b: Uint8Array) => b.subarray(0, 4096);

async function scan(bytes: Uint8Array, limits = {}) {
  const { ctx, recording } = recordingContext({ limits });
  const file = memoryFile("model.tar", bytes);
  await tarHandler.analyze(file, ctx);
  return { recording, rules: recording.findings.map((f) => f.ruleId).sort() };
}

describe("tar analyzer", () => {
  it("is clean on a benign tar and hands regular members over as windows", async () => {
    const tar = buildTar([{ name: "model/", type: "dir" }, { name: "model/README.md", data: "hello" }, { name: "model/data.pkl", data: PICKLE }]);
    expect(tarHandler.match(memoryFile("x.bin", tar), head(tar), new Uint8Array(0))).toBe(true);
    const { recording } = await scan(tar);
    expect(recording.findings).toEqual([]);
    expect(recording.incomplete).toEqual([]);
    expect(recording.nested.map((n) => n.name)).toEqual(["model/README.md", "model/data.pkl"]);
    expect(Array.from(recording.nested[1]!.bytes)).toEqual(Array.from(PICKLE));
    expect(recording.facts).toMatchObject({ format: "tar", properties: { entries: 3, files: 2, tarFormat: "ustar" } });
  });

  it("reports ../ paths, absolute paths, symlinks and hardlinks", async () => {
    const { recording, rules } = await scan(
      buildTar([
        { name: "../../etc/cron.d/x", data: "x" },
        { name: "/abs", data: "y" },
        { name: "link", type: "symlink", linkName: "/etc/passwd" },
        { name: "hard", type: "hardlink", linkName: "../outside" },
        { name: "fine-link", type: "symlink", linkName: "weights.bin" },
      ]),
    );
    expect(rules).toEqual(["archive/link-entry", "archive/link-entry", "archive/link-entry", "archive/path-traversal", "archive/path-traversal"]);
    const links = recording.findings.filter((f) => f.ruleId === "archive/link-entry").map((f) => [f.evidence?.kind, f.severity]);
    expect(links).toEqual([
      ["symlink", "high"],
      ["hardlink", "high"],
      ["symlink", "medium"],
    ]);
    expect(recording.nested.map((n) => n.name)).toEqual(["../../etc/cron.d/x", "/abs"]);
  });

  it("reads long names in ustar, GNU and pax formats", async () => {
    const long = `${"deep/".repeat(40)}data.pkl`;
    for (const format of ["ustar", "gnu", "pax"] as const) {
      const listing = await readTar(memoryFile("t.tar", buildTar([{ name: long, data: PICKLE }], { format })), { maxEntries: 10 });
      expect(listing.issues).toEqual([]);
      expect(listing.entries.map((e) => e.name)).toEqual([format === "ustar" ? long : long]);
    }
  });

  it("honours a pax size override", async () => {
    const listing = await readTar(memoryFile("t.tar", buildTar([{ name: "a", data: "abcdef", pax: { size: "3" } }])), { maxEntries: 10 });
    expect(listing.entries[0]!.size).toBe(3);
  });

  it("reports a bad checksum, truncation and trailing data without throwing", async () => {
    const bad = await scan(buildTar([{ name: "a", data: "x", checksum: 1 }]));
    expect(bad.rules).toEqual(["archive/malformed"]);
    expect(bad.recording.incomplete.length).toBe(1);

    const whole = buildTar([{ name: "a", data: "x".repeat(2000) }]);
    const cut = await scan(whole.subarray(0, 1000));
    expect(cut.rules).toEqual(["archive/malformed"]);
    expect(cut.recording.nested[0]!.bytes.length).toBe(488);

    const trailing = await scan(buildTar([{ name: "a", data: "x" }], { append: PICKLE }));
    expect(trailing.rules).toEqual(["archive/malformed"]);
    expect(trailing.recording.nested.map((n) => n.name)).toEqual(["a", "<trailing>"]);
  });

  it("rejects absurd sizes from base-256 fields against the file size", async () => {
    const tar = buildTar([{ name: "a", data: "x" }]);
    tar.set([0x80, 0, 0, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0xff], 124);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : tar[i]!;
    tar.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, "0")}\0 `), 148);
    const { rules, recording } = await scan(tar);
    expect(rules).toEqual(["archive/malformed"]);
    expect(recording.nested[0]!.bytes.length).toBeLessThan(tar.length);
  });

  it("enforces maxMembersPerContainer", async () => {
    const { rules, recording } = await scan(buildTar([{ name: "1", data: "a" }, { name: "2", data: "b" }, { name: "3", data: "c" }]), { maxMembersPerContainer: 2 });
    expect(rules).toEqual(["archive/entry-bomb"]);
    expect(recording.nested.length).toBe(2);
  });
});
