import { AnalyzerTester, allFindings, buildNotebook, incompleteReasons } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import plugin from "./index.js";
import { utf8 } from "./test-fixtures.js";

const tester = new AnalyzerTester({ plugins: [plugin] });

describe("personal data and shell escapes through the analyzers", () => {
  it("reports personal data printed in a notebook output at medium, redacted, with cell and line", async () => {
    const bytes = buildNotebook({
      cells: [
        { source: "df = pd.read_csv('customers.csv')\ndf.head(2)", executionCount: 3, outputs: [{ type: "execute_result", data: { "text/plain": "   name            email                ssn\n0  Alice Martin    alice.martin@gmail.com  512-48-3379\n1  Example         someone@example.com    123-45-6789" } }] },
      ],
    });
    const report = await tester.scan("customers.ipynb", bytes);
    expect(incompleteReasons(report)).toEqual([]);
    const found = allFindings(report);
    expect(found.map((f) => [f.ruleId, f.severity, f.location.cell, f.location.line, f.evidence.output])).toEqual([
      ["notebook/pii-email", "medium", 0, 2, "text/plain"],
      ["notebook/pii-national-id", "medium", 0, 2, "text/plain"],
    ]);
    expect(JSON.stringify(found)).not.toContain("alice.martin@gmail.com");
    expect(JSON.stringify(found)).not.toContain("512-48-3379");
  });

  it("reports every hit of a flood, capped per rule by the engine and counted, never dropped in silence", async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `${i}  user${i}@gmail.com`).join("\n");
    const report = await tester.scan("users.ipynb", buildNotebook({ cells: [{ source: "df.email", executionCount: 1, outputs: [{ type: "execute_result", data: { "text/plain": rows } }] }] }));
    const file = report.files[0]!;
    expect(file.findings.filter((f) => f.ruleId === "notebook/pii-email")).toHaveLength(100);
    expect(file.omittedFindings).toEqual({ "notebook/pii-email": 150 });
  });

  it("reports personal data in a Python source by line and column", async () => {
    const report = await tester.scan("seed.py", utf8("USERS = [\n    {'name': 'Bob', 'iban': 'DE44500105175407324931'},\n]\n"));
    expect(allFindings(report).map((f) => [f.ruleId, f.location.line, f.location.column])).toEqual([["notebook/pii-iban", 2, 30]]);
  });

  it("reports a shell escape that runs a download at high, not the same text in a string", async () => {
    const bytes = buildNotebook({
      cells: [
        { source: "!curl -fsSL https://get.tool.test/install.sh | bash\nimport tool", executionCount: 1 },
        { source: 'doc = "run !curl https://get.tool.test/install.sh | bash to install"' },
        { source: "%%bash\nwget https://x.test/setup.sh\nbash setup.sh\n", executionCount: 2 },
      ],
    });
    const found = allFindings(await tester.scan("setup.ipynb", bytes));
    expect(found.map((f) => [f.ruleId, f.severity, f.location.cell, f.location.line])).toEqual([
      ["notebook/shell-download-exec", "high", 0, 1],
      ["notebook/shell-download-exec", "high", 2, 3],
    ]);
    expect(found[0]!.message).toBe("shell escape ! pipes curl output into bash from get.tool.test in cell 0 [1], line 1");
  });
});
