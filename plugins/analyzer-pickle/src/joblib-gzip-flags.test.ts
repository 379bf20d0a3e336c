import { gzipSync } from "node:zlib";
import { pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { high, scan, show } from "./test-helpers.js";

// joblib.load opens gzip dumps with Python's gzip module, which ignores reserved header flag bits (issue 9.11).
describe("gzip joblib with reserved header flag bits", () => {
  it("is decompressed as joblib reads it: the payload is reported", async () => {
    const gz = new Uint8Array(gzipSync(pickle().proto(4).callStr("os", "system", "echo gz-flags").stop().toBytes()));
    gz[3]! |= 0xe0;
    const r = await scan(gz, "model.joblib");
    expect(r.claimed).toBe("joblib");
    expect(high(r).some((f) => f.message.includes("os.system('echo gz-flags')")), show(r)).toBe(true);
  });
});
