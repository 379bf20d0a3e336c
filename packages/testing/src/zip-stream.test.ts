import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { torchStorageFlood } from "./hostile/torch-storage-flood.js";
import { writeChunked } from "./hostile/write-stream.js";
import { buildZip } from "./zip-builder.js";
import { zipStream } from "./zip-stream.js";

// Python's zipfile is an independent reader: it checks the ZIP64 records, every CRC (testzip) and the names.
const PYTHON_CHECK = `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
names = z.namelist()
print(len(names), bad, names[0], names[-1], z.read(names[-1]).decode())
`;

function pythonReads(path: string): string {
  return execFileSync("/usr/bin/python3", ["-c", PYTHON_CHECK, path], { encoding: "utf8" }).trim();
}

describe("zipStream", () => {
  it("writes what buildZip writes for a small archive", () => {
    const entries = [{ name: "a.txt", data: "hello" }, { name: "dir/b.bin", data: new Uint8Array([1, 2, 3]) }];
    const streamed = Buffer.concat([...zipStream(entries.length, (i) => entries[i]!)]);
    expect(streamed.equals(Buffer.from(buildZip(entries)))).toBe(true);
  });

  it("switches to ZIP64 past 65,535 entries, as an independent reader confirms", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mw-zip64-"));
    try {
      const n = 70_000;
      const path = await writeChunked(join(dir, "many.zip"), () => zipStream(n, (i) => ({ name: `m/${i}.txt`, data: () => [Buffer.from(`#${i}`)] })));
      expect(pythonReads(path)).toBe(`${n} None m/0.txt m/69999.txt #69999`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("streams a torch checkpoint whose data.pkl references every storage it holds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mw-torch-flood-"));
    try {
      const path = await writeChunked(join(dir, "flood.pt"), () => torchStorageFlood(3));
      expect(pythonReads(path)).toBe("7 None archive/data.pkl archive/.data/serialization_id 1234567890123456789012345678901234567890");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
