import { gzipSync } from "node:zlib";
import { it } from "vitest";
import { AnalyzerTester } from "@modelward/testing";
import { buildTar } from "@modelward/testing";
import archive from "../src/index.js";

// A 200 MB .tar.gz of 100 members (above the in-memory limit, so the tar is read through
// the forward-decoding source): wall time and decoding work through the engine.
it("scans a 200 MB tar.gz through the engine", async () => {
  const member = new Uint8Array(2 * 1024 * 1024).map((_, i) => (i * 7 + (i >> 9)) & 0xff);
  const tar = buildTar(Array.from({ length: 100 }, (_, i) => ({ name: `model/part-${i}.bin`, data: member })));
  const tgz = new Uint8Array(gzipSync(tar, { level: 1 }));
  const tester = new AnalyzerTester({ plugins: [archive] });
  const started = process.hrtime.bigint();
  const report = await tester.scan("model.tar.gz", tgz);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log({ tarBytes: tar.length, tgzBytes: tgz.length, ms: ms.toFixed(0), files: report.files.length, findings: report.summary.findings.total, rssMb: Math.round(process.memoryUsage().rss / 1e6) });
});
