import { createReadStream, readdirSync, statSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { ModelwardClient, type FileScanResult } from "@modelward/client";
import { ModelwardError } from "@modelward/core";
import { EXIT, type CliIO } from "../io.js";

export interface RemoteScanArgs {
  paths: string[];
  url: string;
  apiKey?: string;
  /** Scan an already registered model instead of uploading files. */
  model?: string;
  name?: string;
  format?: "json" | "sarif" | "cyclonedx";
  timeout?: number;
}

/**
 * `modelward remote scan`: uploads files (or names a registered model) to a
 * scan service, waits for the scan and prints its verdict, or the full report
 * with `--format`. Exit 0 Pass (or a Warning with every file analysed),
 * 1 Alert, an incomplete analysis or nothing analysed, 2 a failed or
 * cancelled scan.
 */
export async function remoteScanCommand(args: RemoteScanArgs, io: CliIO): Promise<number> {
  const apiKey = args.apiKey ?? io.env.MODELWARD_API_KEY;
  if (!apiKey) throw new ModelwardError("MW_USAGE", "give --api-key or set MODELWARD_API_KEY");
  const client = new ModelwardClient({ url: args.url, apiKey });
  let modelId = args.model;
  if (!modelId) {
    if (!args.paths.length) throw new ModelwardError("MW_USAGE", "give files or folders to upload, or --model <id>");
    const files = args.paths.flatMap((p) => listFiles(resolve(io.cwd, p)));
    if (!files.length) throw new ModelwardError("MW_USAGE", "no regular file to upload in the given paths");
    const model = await client.registerModel({ name: args.name ?? basename(resolve(io.cwd, args.paths[0]!)), repo_type: "file" });
    modelId = model.id;
    for (const f of files) await client.uploadModelFile(model.id, f.name, Readable.toWeb(createReadStream(f.path)) as ReadableStream<Uint8Array>);
    io.stderr.write(`modelward: uploaded ${files.length} file(s) to model ${model.id}\n`);
  }
  const job = await client.startFileScan({ modelId, ...(args.timeout ? { timeoutSeconds: args.timeout } : {}) });
  const status = await job.getStatus({ waitUntilFinish: true });
  if (status.status !== "succeeded") {
    io.stderr.write(`modelward: scan ${job.jobId} ${status.status}${status.error ? `: ${status.error}` : ""}\n`);
    return EXIT.error;
  }
  const result = await client.getFileScanResult(job.jobId);
  if (args.format) io.stdout.write(await client.getFileScanReport(job.jobId, args.format));
  else io.stdout.write(renderResult(result));
  const incomplete = result.summary.nothing_analysed || result.file_security_reports.some((f) => f.status === "incomplete");
  return result.severity === "Alert" || incomplete ? EXIT.failed : EXIT.clean;
}

/** Regular files under a path, with their upload names (relative to the folder given, or the file's own name). */
function listFiles(root: string): { path: string; name: string }[] {
  const st = statSync(root);
  if (st.isFile()) return [{ path: root, name: basename(root) }];
  const out: { path: string; name: string }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push({ path: p, name: relative(root, p).split(sep).join("/") });
    }
  };
  walk(root);
  return out;
}

function renderResult(r: FileScanResult): string {
  const lines = [`${r.severity} (score ${r.score}) — scan ${r.scan_id}, model ${r.model_id}`];
  for (const f of r.file_security_reports) {
    lines.push(`  ${f.severity.padEnd(7)} ${f.file}${f.format ? ` [${f.format}]` : ""}${f.status !== "scanned" ? ` (${f.status})` : ""}`);
    for (const d of f.unsafe_dependencies) lines.push(`           ${d.severity.padEnd(8)} ${d.kind} ${d.name}`);
  }
  return lines.join("\n") + "\n";
}
