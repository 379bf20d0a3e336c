import { definePlugin, type ModelFile, type Source } from "@modelward/core";
import { memoryFile } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../config/resolve-config.js";
import { bytes, markerRule } from "./example-plugin.fixture.js";
import { createScanner } from "./scanner.js";

const flagPlugin = definePlugin({
  apiVersion: 1,
  meta: { name: "flag", version: "1.0.0", namespace: "flag" },
  analyzers: {
    flag: {
      id: "flag",
      version: 1,
      description: "flags files starting with FLAG",
      formats: ["flag"],
      rules: [markerRule],
      match: (_f, head) => new TextDecoder().decode(head.subarray(0, 4)) === "FLAG",
      async analyze(_file, ctx) {
        ctx.report({ ruleId: markerRule.id, message: "flagged" });
      },
    },
  },
});

// A source whose files say what the file source says of real files: where a symlink led,
// whether the bytes changed under the scan, and paths it could not open.
function scanWith(files: ModelFile[], unreadable: string[] = []) {
  const source: Source = {
    id: "facts",
    description: "test files with listing facts",
    schemes: ["facts://"],
    async open(target, ctx) {
      return {
        description: { uri: target, input: target, source: "facts" },
        async *files() {
          for (const path of unreadable) ctx.incomplete({ path, reason: "folder not listed: permission denied" });
          yield* files;
        },
        close: async () => {},
      };
    },
  };
  const plugin = definePlugin({ apiVersion: 1, meta: { name: "facts", version: "1.0.0", namespace: "facts" }, sources: { facts: source } });
  return resolveConfig([{ config: { plugins: [plugin, flagPlugin], reporters: [] }, file: "<test>", baseDir: process.cwd() }]).then((config) =>
    createScanner(config, "0.0.0-test").scan(["facts://t"]),
  );
}

describe("what a source knows about its files", () => {
  it("a file that changed while it was read is incomplete, its findings kept", async () => {
    const file = { ...memoryFile("m.bin", bytes("FLAG here")), changed: async () => "it shrank while it was read (listed at 9 bytes, ended at 2)" };
    const report = await scanWith([file]);
    const f = report.files[0]!;
    expect(f.status).toBe("incomplete");
    expect(f.incomplete).toEqual([{ reason: "the file changed while it was read: it shrank while it was read (listed at 9 bytes, ended at 2)" }]);
    expect(f.findings.map((x) => x.ruleId)).toEqual(["example/marker"]);
    expect(report.summary.failed).toBe(true);
  });

  it("a file whose reads come back short is incomplete even when its source cannot tell (no changed())", async () => {
    const whole = new Uint8Array(10_000);
    whole.set(bytes("FLAG"));
    let reads = 0;
    // The first read (the sniffed head) sees the whole file; every later one (the sniffed tail) sees it cut to 10 bytes.
    const cut: ModelFile = { ...memoryFile("m.bin", whole), read: async (s, e) => whole.slice(s, Math.min(e, reads++ === 0 ? whole.length : 10)) };
    const report = await scanWith([cut]);
    const f = report.files[0]!;
    expect(f.status).toBe("incomplete");
    // The cut tail stops the dispatch: nothing parses a buffer shorter than it asked for.
    expect(f.incomplete).toEqual([{ reason: "the file changed while it was read: it shrank while it was read (listed at 10000 bytes; 0 of the 4096 bytes at 5904 came back)" }]);
    expect(f.analyzers).toEqual([]);
    expect(report.summary.failed).toBe(true);
  });

  it("an unchanged file stays scanned, and the path a symlink led to is reported", async () => {
    const file = { ...memoryFile("m.bin", bytes("FLAG here")), linkedTo: "/cache/blobs/abc", changed: async () => undefined };
    const report = await scanWith([file]);
    expect(report.files[0]).toMatchObject({ status: "scanned", linkedTo: "/cache/blobs/abc" });
  });

  it("a path the source could not open is incomplete and fails the scan, even when nothing else was found", async () => {
    const report = await scanWith([], ["private"]);
    expect(report.files).toEqual([expect.objectContaining({ path: "private", status: "incomplete", incomplete: [{ reason: "folder not listed: permission denied" }] })]);
    expect(report.summary).toMatchObject({ verdict: "warning", failed: true });
  });

  it("a remote file's revision is reported, and its bytesRead is what went over the wire", async () => {
    const inner = memoryFile("m.bin", bytes("FLAG and more"));
    const file = { ...inner, revision: "etag-1234", bytesTransferred: 65536 };
    const report = await scanWith([file]);
    const f = report.files[0]!;
    expect(f.revision).toBe("etag-1234");
    expect(f.bytesRead).toBe(65536);
    const plain = (await scanWith([memoryFile("p.bin", bytes("FLAG"))])).files[0]!;
    expect(plain.revision).toBeUndefined();
    expect(plain.bytesRead).toBe(4);
  });
});
