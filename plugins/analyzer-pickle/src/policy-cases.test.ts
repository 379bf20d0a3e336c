import { PicklePolicy, type AllowEntry, type DenyEntry, type PicklePolicyData } from "@modelward/pickle";
import defaultRuleset from "@modelward/ruleset-default";
import { describe, expect, it } from "vitest";

const data = defaultRuleset.policies!.pickle as PicklePolicyData;
const policy = PicklePolicy.fromData([data]);

function input(c: { input: Record<string, unknown> }): [string, string] {
  const { module, name } = c.input;
  if (typeof module !== "string" || typeof name !== "string") throw new Error(`case input needs module and name: ${JSON.stringify(c.input)}`);
  return [module, name];
}

describe("default ruleset pickle policy", () => {
  it("loads without problems and has both lists", () => {
    expect(policy.problems).toEqual([]);
    expect(data.allow!.length).toBeGreaterThan(100);
    expect(data.deny!.length).toBeGreaterThan(150);
  });

  it("every entry has a reason and positive and negative cases", () => {
    const missing: string[] = [];
    for (const e of [...data.allow!, ...data.deny!] as (AllowEntry | DenyEntry)[]) {
      const cases = e.cases ?? [];
      if (!e.reason || !cases.some((c) => c.fires) || !cases.some((c) => !c.fires)) missing.push(e.path);
    }
    expect(missing).toEqual([]);
  });

  it("every deny entry carries CWE, ATLAS and OWASP ids and references", () => {
    const bad = data.deny!.filter((e) => !e.taxonomy?.cwe?.length || !e.taxonomy.atlas?.length || !e.taxonomy.owasp?.length || !e.references?.length);
    expect(bad.map((e) => e.path)).toEqual([]);
  });

  it("every deny case fires exactly when it says", () => {
    const wrong: string[] = [];
    for (const e of data.deny!) {
      for (const c of e.cases!) {
        const v = policy.evaluate(...input(c));
        const fired = v.verdict === "dangerous" && v.entry.path === e.path;
        if (fired !== c.fires) wrong.push(`${e.path}: ${c.name} ${JSON.stringify(c.input)} → ${v.verdict}${v.verdict === "dangerous" ? ` (${v.entry.path})` : ""}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("every allow case fires exactly when it says", () => {
    const wrong: string[] = [];
    for (const e of data.allow!) {
      for (const c of e.cases!) {
        const v = policy.evaluate(...input(c));
        const fired = v.verdict === "safe" && v.entry.path === e.path;
        if (fired !== c.fires) wrong.push(`${e.path}: ${c.name} → ${v.verdict}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("covers every denylist family of the issue", () => {
    const families = new Set(data.deny!.map((e) => e.family));
    for (const f of ["code-execution", "process", "network", "filesystem", "import", "nested-unpickle", "code-object", "gadget"]) expect(families).toContain(f);
  });
});
