import { describe, expect, it } from "vitest";
import type { Location } from "@modelward/core";
import { filesByVerdict, locationText, renderedCode, sizeText, sortFindings, sourceRows, sourceSummary, taxonomyLink, uploadPath } from "./present.js";
import { hrefOf, parseRoute } from "./route.js";

const at = (p: Partial<Location>): Location => ({ target: "file:///m", path: "model.pt", members: [], ...p });

describe("console presentation", () => {
  it("links CWE, ATLAS and OWASP ids to their catalogues, and leaves unknown ids plain", () => {
    expect(taxonomyLink("CWE-502")).toEqual({ label: "CWE-502", href: "https://cwe.mitre.org/data/definitions/502.html" });
    expect(taxonomyLink("AML.T0011.000").href).toBe("https://atlas.mitre.org/techniques/AML.T0011.000");
    expect(taxonomyLink("LLM03:2025").href).toMatch(/^https:\/\/genai\.owasp\.org\//);
    expect(taxonomyLink("ML06:2023").href).toMatch(/^https:\/\/owasp\.org\//);
    expect(taxonomyLink("javascript:alert(1)")).toEqual({ label: "javascript:alert(1)" });
    expect(taxonomyLink("CWE-502x").href).toBeUndefined();
  });

  it("renders a location with its member chain and the positions the format has", () => {
    expect(locationText(at({ members: ["archive/data.pkl"], byteOffset: 112 }))).toBe("model.pt ▸ archive/data.pkl · byte 112");
    expect(locationText(at({ path: "nb.ipynb", cell: 2, line: 3, column: 4 }))).toBe("nb.ipynb · cell 2, line 3:4");
    expect(locationText(at({ jsonPointer: "" }))).toBe("model.pt · JSON /");
    expect(locationText(at({}))).toBe("model.pt");
  });

  it("shows the rendered call or op of a finding, else module.name, else nothing", () => {
    expect(renderedCode({ evidence: { call: "os.system('echo x')", module: "os", name: "system" } })).toBe("os.system('echo x')");
    expect(renderedCode({ evidence: { op: "PyFunc" } })).toBe("PyFunc");
    expect(renderedCode({ evidence: { module: "builtins", name: "eval", opcode: "STACK_GLOBAL" } })).toBe("builtins.eval");
    expect(renderedCode({ evidence: { size: 3 } })).toBeUndefined();
  });

  it("sorts findings by severity with suppressed ones last, and groups files Alert, Warning, Pass", () => {
    const sorted = sortFindings([
      { severity: "low" as const, id: 1 },
      { severity: "critical" as const, suppression: { kind: "config" as const }, id: 2 },
      { severity: "high" as const, id: 3 },
    ]);
    expect(sorted.map((f) => f.id)).toEqual([3, 1, 2]);
    const file = (file: string, severity: "Alert" | "Warning" | "Pass") => ({ file, severity, status: "scanned" as const, size: 1, findings: 0, unsafe_dependencies: [] });
    const groups = filesByVerdict({ file_security_reports: [file("a", "Pass"), file("b", "Alert"), file("c", "Pass")] });
    expect(groups.map(([v, fs]) => [v, fs.map((f) => f.file)])).toEqual([
      ["Alert", ["b"]],
      ["Pass", ["a", "c"]],
    ]);
  });

  it("describes a model's source without secrets (integrations are an id)", () => {
    const base = { id: "m", project_id: "p", name: "n", created_at: "", latest_scan: null, integration_id: "i1" };
    expect(sourceSummary({ ...base, repo_type: "huggingface", model_id: "org/bert", revision: "v2" })).toBe("Hugging Face org/bert@v2");
    expect(sourceSummary({ ...base, repo_type: "s3_bucket", bucket_name: "b", prefix: "m/" })).toBe("S3 b/m/");
    expect(sourceRows({ ...base, repo_type: "github", repo_url: "https://g/x", branch_name: "main", depth: 1 })).toEqual([
      ["Repository type", "github"],
      ["Repository URL", "https://g/x"],
      ["Branch", "main"],
      ["Depth", "1"],
    ]);
  });

  it("uploads a picked folder's files under paths relative to the folder", () => {
    expect(uploadPath({ name: "model.bin", webkitRelativePath: "evil/weights/model.bin" })).toBe("weights/model.bin");
    expect(uploadPath({ name: "model.bin", webkitRelativePath: "" })).toBe("model.bin");
    expect(uploadPath({ name: "x" })).toBe("x");
  });

  it("formats sizes", () => {
    expect(sizeText(512)).toBe("512 B");
    expect(sizeText(1536)).toBe("1.5 KiB");
    expect(sizeText(300 * 1024 ** 2)).toBe("300 MiB");
  });

  it("parses hash routes and writes them back", () => {
    expect(parseRoute("")).toEqual({ page: "models" });
    expect(parseRoute("#/models?severity=Alert")).toEqual({ page: "models", severity: "Alert" });
    expect(parseRoute("#/models?severity=Bogus")).toEqual({ page: "models" });
    expect(parseRoute("#/models/a%2Fb")).toEqual({ page: "model", modelId: "a/b" });
    expect(parseRoute("#/scans/s1")).toEqual({ page: "scan", scanId: "s1" });
    expect(parseRoute("#/scans/%E0%A4%A")).toEqual({ page: "not-found", path: "/scans/%E0%A4%A" });
    expect(parseRoute("#/models/a/b").page).toBe("not-found");
    for (const r of [{ page: "model", modelId: "a/b" }, { page: "scan", scanId: "x y" }, { page: "models", severity: "Pass" }, { page: "projects" }] as const) {
      expect(parseRoute(hrefOf(r))).toEqual(r);
    }
  });
});
