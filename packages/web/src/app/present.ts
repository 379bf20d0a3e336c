import type { FileScanResult, FileSecurityReport, Model, PlatformSeverity } from "@modelward/client";
import type { Finding, Location, Severity } from "@modelward/core";

// Pure presentation rules of the console (no DOM), so they are unit-tested.

export const VERDICTS: readonly PlatformSeverity[] = ["Alert", "Warning", "Pass"];
const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

/** Where a taxonomy id is documented; an id of no known scheme gets no link. */
export function taxonomyLink(id: string): { label: string; href?: string } {
  const cwe = /^CWE-(\d+)$/i.exec(id);
  if (cwe) return { label: id, href: `https://cwe.mitre.org/data/definitions/${cwe[1]}.html` };
  if (/^AML\.T\d{4}(\.\d{3})?$/.test(id)) return { label: id, href: `https://atlas.mitre.org/techniques/${id}` };
  if (/^LLM\d{2}:2025$/.test(id)) return { label: id, href: "https://genai.owasp.org/llm-top-10/" };
  const ml = /^ML(\d{2}):2023$/.exec(id);
  if (ml) return { label: id, href: "https://owasp.org/www-project-machine-learning-security-top-10/" };
  return { label: id };
}

/** The source parameters of a model as label/value rows (a model record holds no secret: integrations are referenced by id). */
export function sourceRows(model: Model): [string, string][] {
  const rows: [string, string][] = [["Repository type", model.repo_type]];
  const add = (label: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== "") rows.push([label, String(value)]);
  };
  add("Repository URL", model.repo_url);
  add("Model id", model.model_id);
  add("Revision", model.revision);
  add("Branch", model.branch_name);
  add("Depth", model.depth);
  add("Bucket", model.bucket_name);
  add("Region", model.region);
  add("Prefix", model.prefix);
  return rows;
}

/** One line naming a model's source, for the registry table. */
export function sourceSummary(model: Model): string {
  switch (model.repo_type) {
    case "file":
      return "Uploaded files";
    case "huggingface":
      return `Hugging Face ${model.model_id ?? ""}${model.revision && model.revision !== "main" ? `@${model.revision}` : ""}`;
    case "github":
      return `Git ${model.repo_url ?? ""} (${model.branch_name ?? "main"})`;
    case "s3_bucket":
      return `S3 ${model.bucket_name ?? ""}${model.prefix ? `/${model.prefix}` : ""}`;
  }
}

/** Where inside the artifact a finding is: the file, its member chain, then the position the format has. */
export function locationText(location: Location): string {
  const where = [location.path, ...location.members].join(" ▸ ");
  const at: string[] = [];
  if (location.cell !== undefined) at.push(`cell ${location.cell}`);
  if (location.line !== undefined) at.push(`line ${location.line}${location.column !== undefined ? `:${location.column}` : ""}`);
  if (location.jsonPointer !== undefined) at.push(`JSON ${location.jsonPointer || "/"}`);
  if (location.byteOffset !== undefined) at.push(`byte ${location.byteOffset}`);
  return at.length ? `${where} · ${at.join(", ")}` : where;
}

// Evidence keys that hold what the artifact would run: shown first, as code.
const CODE_KEYS = ["call", "expression", "op", "callable", "code", "command", "global", "import"];

/** The call or op a finding is about, as the analyzer rendered it (or `module.name` of a global), if it has one. */
export function renderedCode(f: Pick<Finding, "evidence">): string | undefined {
  for (const k of CODE_KEYS) {
    const v = f.evidence[k];
    if (typeof v === "string" && v) return v;
  }
  const { module, name } = f.evidence;
  if (typeof module === "string" && typeof name === "string") return `${module}.${name}`;
  return undefined;
}

/** A file's findings, most severe first, suppressed ones last. */
export function sortFindings<T extends Pick<Finding, "severity" | "suppression">>(findings: T[]): T[] {
  const rank = (f: T) => SEVERITY_ORDER.indexOf(f.severity) + (f.suppression ? SEVERITY_ORDER.length : 0);
  return [...findings].sort((a, b) => rank(a) - rank(b));
}

/** The files of a result grouped by their verdict, Alert first; a verdict with no file is left out. */
export function filesByVerdict(result: Pick<FileScanResult, "file_security_reports">): [PlatformSeverity, FileSecurityReport[]][] {
  return VERDICTS.map((v) => [v, result.file_security_reports.filter((f) => f.severity === v)] as [PlatformSeverity, FileSecurityReport[]]).filter(([, files]) => files.length > 0);
}

/** A date for people (the browser's locale), or "—". */
export function dateText(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "—" : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** `1.2 MB` style sizes. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** The path a browser-picked file is uploaded under: relative to the picked folder (its first segment dropped), `/`-separated. */
export function uploadPath(file: { name: string; webkitRelativePath?: string }): string {
  const rel = file.webkitRelativePath;
  if (!rel) return file.name;
  const parts = rel.split("/").filter(Boolean);
  return parts.length > 1 ? parts.slice(1).join("/") : parts.join("/") || file.name;
}
