import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";
import { writeExampleTree } from "./examples.test.js";

const goldenDir = fileURLToPath(new URL("../golden/", import.meta.url));
const update = process.env.UPDATE_GOLDEN === "1";

// Replaces what legitimately differs between runs and machines: timestamps, durations, the temp root.
function normalize(text: string, root: string): unknown {
  const rootUri = pathToFileURL(root).href;
  const replaced = text.split(rootUri).join("file:///TARGET").split(root).join("/TARGET");
  return JSON.parse(replaced, (key, value) => {
    if (["startedAt", "finishedAt", "startTimeUtc", "endTimeUtc", "timestamp"].includes(key)) return "<time>";
    if (key === "durationMs") return 0;
    if (key === "serialNumber") return "<serial>";
    // CycloneDX carries run times as name/value properties.
    if (value && typeof value === "object" && /(started-at|finished-at|duration-ms)$/.test(String(value.name))) return { ...value, value: "<time>" };
    return value;
  });
}

function golden(name: string, actual: unknown): void {
  const file = join(goldenDir, name);
  if (update || !existsSync(file)) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, JSON.stringify(actual, null, 2) + "\n");
    if (!update) throw new Error(`golden file ${name} was missing and has been written: review and commit it`);
  }
  expect(actual).toEqual(JSON.parse(readFileSync(file, "utf8")));
}

describe("golden reports of the example tree (UPDATE_GOLDEN=1 rewrites them)", async () => {
  const root = writeExampleTree();
  const out = join(root, "..", `${root.split("/").pop()}-out`);
  mkdirSync(out, { recursive: true });
  const run = await runBuiltCli(
    ["scan", root, "-f", "json", "-o", join(out, "r.json"), "-f", "sarif", "-o", join(out, "r.sarif"), "-f", "cyclonedx", "-o", join(out, "r.cdx.json"), "--quiet"],
    root,
  );
  const read = (f: string) => normalize(readFileSync(join(out, f), "utf8"), root) as Record<string, any>;

  it("exits 1 with the three outputs written", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
  });
  it("JSON matches its golden file", () => golden("examples.report.json", read("r.json")));
  it("SARIF matches its golden file", () => golden("examples.sarif.json", read("r.sarif")));
  it("CycloneDX matches its golden file", () => golden("examples.cdx.json", read("r.cdx.json")));

  it("the three outputs carry the same findings", () => {
    const json = read("r.json");
    const sarif = read("r.sarif");
    const cdx = read("r.cdx.json");
    const fromJson = json.files.flatMap((f: any) => f.findings.map((x: any) => `${x.ruleId}|${x.fingerprint}`)).sort();
    const fromSarif = sarif.runs[0].results.map((r: any) => `${r.ruleId}|${r.partialFingerprints["modelward/v1"]}`).sort();
    // CycloneDX has one vulnerability per rule, listing each finding's fingerprint; info findings are not vulnerabilities.
    const fromCdx = cdx.vulnerabilities
      .filter((v: any) => v.id.startsWith("MW:"))
      .flatMap((v: any) => {
        const props = (name: string) => v.properties.filter((p: any) => p.name === name).map((p: any) => p.value);
        return props("modelward:fingerprint").map((fp: string) => `${props("modelward:rule-id")[0]}|${fp}`);
      })
      .sort();
    const notInfo = json.files.flatMap((f: any) => f.findings.filter((x: any) => x.severity !== "info").map((x: any) => `${x.ruleId}|${x.fingerprint}`)).sort();
    expect(fromJson.length).toBeGreaterThan(0);
    expect(fromSarif).toEqual(fromJson);
    expect(fromCdx).toEqual(notInfo);
  });
});
