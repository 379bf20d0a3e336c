import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { resolveConfig } from "@modelward/engine";
import { describe, expect, it } from "vitest";
import { sortedRules } from "./commands/rules.js";
import { PRESETS } from "./recommended.js";
import { renderRulesMarkdown } from "./rules-markdown.js";

const rulesDoc = fileURLToPath(new URL("../../../docs/rules.md", import.meta.url));

describe("rules of the recommended preset", async () => {
  const config = await resolveConfig([{ config: { extends: ["modelward:recommended"] }, file: "<test>", baseDir: process.cwd() }], PRESETS);
  const rules = sortedRules(config.rules);

  it("each carry a description, remediation, references and the taxonomy ids", () => {
    for (const r of rules) {
      expect(r.description.length, r.id).toBeGreaterThan(20);
      expect(r.remediation.length, r.id).toBeGreaterThan(10);
      expect(r.references.length, `${r.id} has references`).toBeGreaterThan(0);
      expect(r.taxonomy.cwe?.length, `${r.id} has a CWE id`).toBeGreaterThan(0);
      // Integrity findings (malformed, tampered, unreadable) have no ATLAS technique of their own in some cases,
      // but every rule must carry at least an ATLAS or an OWASP id so it maps onto the AI threat taxonomies.
      expect((r.taxonomy.atlas?.length ?? 0) + (r.taxonomy.owasp?.length ?? 0), `${r.id} has ATLAS or OWASP ids`).toBeGreaterThan(0);
    }
  });

  it("are listed in docs/rules.md exactly as generated (run `pnpm docs:rules`)", () => {
    expect(readFileSync(rulesDoc, "utf8")).toBe(renderRulesMarkdown(rules));
  });
});
