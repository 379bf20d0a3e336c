import { mkdirSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "vitest";
import { baseName, extensionOf, type ModelFile } from "@modelward/core";
import { recordingContext } from "@modelward/testing";
import { zipHandler } from "../src/zip-handler.js";
// @ts-expect-error plain .mjs bench case without types
import cases from "../../../bench/cases/archive.mjs";

// Runs the bench case's 2 GB zip through the zip analyzer without the engine: a file
// with positioned reads, and a scanNested that reads what the engine's sniffing reads
// (head and tail of each member). Prints bytes read, time and RSS.
it("lists the 2 GB stored zip from headers only", async () => {
  const dir = join(tmpdir(), "modelward-archive-measure");
  mkdirSync(dir, { recursive: true });
  const path: string = await cases[0].create(dir);
  const handle = await open(path, "r");
  const size = (await handle.stat()).size;
  let bytesRead = 0;
  const read = async (start: number, end: number) => {
    const s = Math.max(0, Math.min(start, size));
    const e = Math.max(s, Math.min(end, size));
    const buf = new Uint8Array(e - s);
    await handle.read(buf, 0, buf.length, s);
    bytesRead += buf.length;
    return buf;
  };
  const file: ModelFile = {
    path: baseName(path), members: [], name: baseName(path), extension: extensionOf(path), size, depth: 0,
    read,
    async *stream(start = 0, end = size) {
      for (let at = start; at < end; at += 1 << 20) yield await read(at, Math.min(end, at + (1 << 20)));
    },
  };
  const { ctx, recording } = recordingContext();
  const sniffed: string[] = [];
  ctx.scanNested = async (m) => {
    await m.read(0, 4096);
    await m.read(Math.max(0, m.size - 4096), m.size);
    sniffed.push(`${m.name} (${m.size} B)`);
  };
  const started = process.hrtime.bigint();
  await zipHandler.analyze(file, ctx);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await handle.close();
  console.log({ ms: ms.toFixed(1), bytesRead, rssMb: Math.round(process.memoryUsage().rss / 1e6), findings: recording.findings, incomplete: recording.incomplete, members: sniffed });
});
