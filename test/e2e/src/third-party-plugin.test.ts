import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./cli-binary.js";

const corePackage = fileURLToPath(new URL("../../../packages/core", import.meta.url));

// A project outside the workspace: its own node_modules holds a third-party plugin
// (peering on @modelward/core, linked in as a user's install would provide it).
function thirdPartyProject(): { dir: string; target: string } {
  const dir = mkdtempSync(join(tmpdir(), "mw-3p-"));
  const plugin = join(dir, "node_modules", "modelward-plugin-acme");
  mkdirSync(plugin, { recursive: true });
  mkdirSync(join(dir, "node_modules", "@modelward"), { recursive: true });
  symlinkSync(corePackage, join(dir, "node_modules", "@modelward", "core"), "dir");
  writeFileSync(
    join(plugin, "package.json"),
    JSON.stringify({ name: "modelward-plugin-acme", version: "3.1.4", type: "module", exports: { ".": { import: "./index.js" } }, peerDependencies: { "@modelward/core": "*" } }),
  );
  writeFileSync(
    join(plugin, "index.js"),
    `import { definePlugin } from "@modelward/core";
export default definePlugin({
  apiVersion: 1,
  meta: { name: "modelward-plugin-acme", version: "3.1.4", namespace: "acme" },
  analyzers: {
    acme: {
      id: "acme", version: 1, description: "ACME files", formats: ["acme"],
      rules: [{ id: "acme/exec-hook", title: "ACME exec hook", description: "ACME loaders run the exec hook.",
        remediation: "Remove the hook.", defaultSeverity: "critical", category: "deserialization",
        taxonomy: { cwe: ["CWE-94"], atlas: ["AML.T0011.000"], owasp: ["LLM03:2025"] }, references: [] }],
      match: (file, head) => new TextDecoder().decode(head.subarray(0, 4)) === "ACME",
      async analyze(file, ctx) {
        const text = new TextDecoder().decode(await file.read(0, Math.min(file.size, 1024)));
        ctx.describe({ format: "acme" });
        const at = text.indexOf("exec:");
        if (at >= 0) ctx.report({ ruleId: "acme/exec-hook", message: "exec hook " + text.slice(at + 5).trim(), position: { byteOffset: at } });
      },
    },
  },
});
`,
  );
  writeFileSync(join(dir, "modelward.config.json"), JSON.stringify({ extends: ["modelward:recommended"], plugins: ["modelward-plugin-acme"] }));
  const target = join(dir, "models");
  mkdirSync(target);
  writeFileSync(join(target, "hostile.bin"), "ACME\nexec: echo pwned\n");
  writeFileSync(join(target, "fine.bin"), "ACME\nweights\n");
  return { dir, target };
}

describe("a third-party plugin installed outside the workspace", () => {
  it("is listed and runs through the built CLI", async () => {
    const { dir, target } = thirdPartyProject();
    const listed = await runBuiltCli(["plugins", "list"], dir);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/modelward-plugin-acme\s+3\.1\.4\s+acme\s+analyzers: acme/);

    const scan = await runBuiltCli(["scan", target, "-f", "json"], dir);
    expect(scan.code).toBe(1);
    const report = JSON.parse(scan.stdout);
    const hostile = report.files.find((f: { path: string }) => f.path === "hostile.bin");
    expect(hostile.findings[0]).toMatchObject({ ruleId: "acme/exec-hook", severity: "critical", message: "exec hook echo pwned" });
    expect(hostile.format).toBe("acme");
    const fine = report.files.find((f: { path: string }) => f.path === "fine.bin");
    expect(fine.verdict).toBe("pass");

    const rules = await runBuiltCli(["rules", "list"], dir);
    expect(rules.stdout).toMatch(/acme\/exec-hook\s+critical\s+deserialization\s+CWE-94/);
  });
});
