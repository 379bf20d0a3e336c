import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./main.js";
import { captureIO } from "./capture-io.js";

const capture = (cwd: string) => captureIO(cwd);

// A project folder with a local plugin whose analyzer flags files containing EVIL,
// and a config composing it with the recommended preset.
function project(config: object = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "mw-cli-"));
  writeFileSync(
    join(dir, "evil-plugin.mjs"),
    `export default { apiVersion: 1, meta: { name: "evil-plugin", version: "1.0.0", namespace: "evil" },
      analyzers: { evil: { id: "evil", version: 1, description: "flags EVIL", formats: ["text"],
        rules: [{ id: "evil/marker", title: "EVIL marker", description: "The file says EVIL.", remediation: "Delete it.",
          defaultSeverity: "high", category: "runtime", taxonomy: { cwe: ["CWE-94"] }, references: [] }],
        match: (file, head) => new TextDecoder().decode(head).includes("EVIL"),
        analyze: async (file, ctx) => { ctx.describe({ format: "text" }); ctx.report({ ruleId: "evil/marker", message: "EVIL inside" }); } } } };`,
  );
  writeFileSync(join(dir, "modelward.config.json"), JSON.stringify({ extends: ["modelward:recommended"], plugins: ["./evil-plugin.mjs"], ...config }));
  return dir;
}

function target(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), "mw-target-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

// pickle.dumps({}, protocol=2): a benign file an analyzer claims, so the scan analysed something.
const benignPickle = Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]);

describe("modelward scan", () => {
  it("exits 1 on a finding at or above fail-on, 0 below it", async () => {
    const dir = project();
    const t = target({ "a.txt": "EVIL", "b.txt": "fine" });
    const c1 = capture(dir);
    expect(await runCli(["scan", t], c1.io)).toBe(1);
    expect(c1.out()).toMatch(/\/a\.txt  HIGH +EVIL inside  evil\/marker$/m);
    expect(c1.out()).toMatch(/HIGH\s+EVIL inside/);
    expect(c1.out()).toMatch(/FAILED \(fail-on high: 1 finding at or above\)/);
    const c2 = capture(dir);
    expect(await runCli(["scan", t, "--fail-on", "critical"], c2.io)).toBe(0);
  });

  it("exits 0 on a clean target", async () => {
    const c = capture(project());
    expect(await runCli(["scan", target({ "b.txt": "fine", "m.pkl": benignPickle })], c.io)).toBe(0);
    expect(c.out()).toMatch(/Result: PASS/);
  });

  it("exits 2 when nothing was analysed: an empty folder, or only skipped files", async () => {
    const empty = capture(project());
    expect(await runCli(["scan", target({})], empty.io)).toBe(2);
    expect(empty.out()).toMatch(/Result: NO FILES ANALYSED/);
    expect(empty.out()).not.toMatch(/PASS/);
    expect(empty.err()).toMatch(/nothing was analysed/);
    const text = capture(project());
    expect(await runCli(["scan", target({ "b.txt": "fine" }), "-f", "json"], text.io)).toBe(2);
    const report = JSON.parse(text.out());
    expect(report.summary).toMatchObject({ verdict: "none", failed: true, files: { total: 1, skipped: 1 } });
  });

  it("refuses an empty target with exit 2 instead of scanning the working directory", async () => {
    const dir = project();
    writeFileSync(join(dir, "a.txt"), "EVIL");
    const c = capture(dir);
    expect(await runCli(["scan", ""], c.io)).toBe(2);
    expect(c.err()).toMatch(/empty target/);
    expect(c.out()).toBe("");
    const twice = capture(dir);
    expect(await runCli(["scan", "-", "-"], twice.io)).toBe(2);
    expect(twice.err()).toMatch(/standard input \(-\) can be scanned only once/);
  });

  it("writes each --format to its --output, one of them to stdout", async () => {
    const dir = project();
    const c = capture(dir);
    const code = await runCli(["scan", target({ "a.txt": "EVIL" }), "-f", "json", "-o", "out/report.json", "-f", "console"], c.io);
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, "out/report.json"), "utf8"));
    expect(report.files[0].findings[0].ruleId).toBe("evil/marker");
    expect(c.out()).toMatch(/EVIL inside/);
  });

  it("refuses two formats on stdout, an unknown format and a missing target with exit 2", async () => {
    const dir = project();
    const t = target({ "a.txt": "x" });
    const two = capture(dir);
    expect(await runCli(["scan", t, "-f", "json", "-f", "console"], two.io)).toBe(2);
    expect(two.err()).toMatch(/only one format can go to standard output/);
    const unknown = capture(dir);
    expect(await runCli(["scan", t, "-f", "pdf"], unknown.io)).toBe(2);
    expect(unknown.err()).toMatch(/unknown format "pdf"/);
    const missing = capture(dir);
    expect(await runCli(["scan", join(t, "nope")], missing.io)).toBe(2);
    expect(missing.err()).toMatch(/MW_TARGET_NOT_FOUND/);
  });

  it("reports every config problem at once with exit 2", async () => {
    const c = capture(project({ failOn: "severe", rules: { "evil/marker": "loud" } }));
    expect(await runCli(["scan", target({ "a.txt": "x" })], c.io)).toBe(2);
    expect(c.err()).toMatch(/2 problems/);
    expect(c.err()).toMatch(/at \/failOn/);
    expect(c.err()).toMatch(/at \/rules\/evil~1marker/);
  });

  it("prints nothing on stdout with --quiet, and still sets the exit code", async () => {
    const c = capture(project());
    expect(await runCli(["scan", target({ "a.txt": "EVIL" }), "--quiet"], c.io)).toBe(1);
    expect(c.out()).toBe("");
  });

  it("runs only the selected analyzers", async () => {
    const c = capture(project());
    expect(await runCli(["scan", target({ "b.txt": "fine", "m.pkl": benignPickle }), "--disable-analyzer", "evil"], c.io)).toBe(0);
    // A file the disabled analyzer would have read is not analysed: incomplete, never a silent pass.
    const off = capture(project());
    expect(await runCli(["scan", target({ "a.txt": "EVIL", "m.pkl": benignPickle }), "--disable-analyzer", "evil"], off.io)).toBe(1);
    expect(off.out()).toMatch(/INCOMPLETE  not analysed: the evil analyzer that reads this file is disabled/);
    const bad = capture(project());
    expect(await runCli(["scan", target({ "a.txt": "EVIL" }), "--analyzer", "ghost"], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/unknown analyzer "ghost"/);
  });

  it("refuses an unknown option with exit 2, before scanning anything", async () => {
    const c = capture(project());
    expect(await runCli(["scan", target({ "a.txt": "EVIL" }), "--fial-on", "low"], c.io)).toBe(2);
    expect(c.err()).toMatch(/Unknown arguments?: fial-on/);
    expect(c.out()).toBe("");
  });

  it("exits 2 on an unknown command", async () => {
    const c = capture(project());
    expect(await runCli(["destroy"], c.io)).toBe(2);
  });
});

describe("modelward rules / plugins / config", () => {
  it("lists rules as JSON with their taxonomy", async () => {
    const c = capture(project());
    expect(await runCli(["rules", "list", "--format", "json"], c.io)).toBe(0);
    const rules = JSON.parse(c.out()) as { id: string; taxonomy: object }[];
    expect(rules.find((r) => r.id === "evil/marker")?.taxonomy).toEqual({ cwe: ["CWE-94"] });
  });

  it("shows each rule's effective severity under the config, off included, beside its default", async () => {
    const c = capture(project({ rules: { "evil/marker": "low", "pickle/dangerous-global": "off" } }));
    expect(await runCli(["rules", "list"], c.io)).toBe(0);
    expect(c.out()).toMatch(/^evil\/marker\s+low\s+\S+\s/m);
    expect(c.out()).toMatch(/^pickle\/dangerous-global\s+off\s+critical\s/m);
    expect(c.out()).toMatch(/rules \(2 changed by the config, 1 off;/);
    const j = capture(project({ rules: { "pickle/dangerous-global": "off" } }));
    expect(await runCli(["rules", "list", "--format", "json"], j.io)).toBe(0);
    expect((JSON.parse(j.out()) as { id: string; enabled: boolean }[]).find((r) => r.id === "pickle/dangerous-global")).toMatchObject({ enabled: false, effectiveSeverity: "off", defaultSeverity: "critical" });
  });

  it("gives a config without `extends` the recommended preset, and says so in one line when a config loads no plugins", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mw-noextends-"));
    writeFileSync(join(dir, "modelward.config.json"), JSON.stringify({ rules: { "pickle/dangerous-global": "high" } }));
    const c = capture(dir);
    expect(await runCli(["rules", "list"], c.io)).toBe(0);
    expect(c.out()).toMatch(/^pickle\/dangerous-global\s+high\s+critical/m);
    writeFileSync(join(dir, "modelward.config.json"), JSON.stringify({ extends: [] }));
    const none = capture(dir);
    expect(await runCli(["scan", target({ "a.txt": "x" })], none.io)).toBe(2);
    expect(none.err()).toMatch(/loads no plugins/);
  });

  it("lists plugins as a table", async () => {
    const c = capture(project());
    expect(await runCli(["plugins", "list"], c.io)).toBe(0);
    expect(c.out()).toMatch(/evil-plugin\s+1\.0\.0\s+evil\s+analyzers: evil/);
    expect(c.out()).toMatch(/@modelward\/source-file/);
  });

  it("prints the resolved config", async () => {
    const c = capture(project({ failOn: "medium" }));
    expect(await runCli(["config", "print"], c.io)).toBe(0);
    const printed = JSON.parse(c.out());
    expect(printed.failOn).toBe("medium");
    expect(printed.plugins).toContain("evil-plugin@1.0.0");
  });
});
