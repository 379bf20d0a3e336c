import type { AnalyzerContext } from "@modelward/core";
import { auditTemplate, reportTemplateAudit } from "@modelward/jinja-audit";
import { ValueAudit, metadataRuleIds } from "@modelward/plugin-kit";
import { list, messages, str, type ModelParts, type TensorAt } from "./model-walk.js";
import { KNOWN_DOMAINS, MAX_IR_VERSION, MAX_OPSET } from "./op-registry.js";
import { RULES } from "./rules.js";
import { Skipped, type Decoded } from "./stream-decoder.js";

type Ctx = Pick<AnalyzerContext, "report" | "incomplete" | "describe" | "recordImport" | "recordReference">;

const PYTHON_OPS = new Set(["PyOp", "PyFunc", "PythonOp", "PythonOpGrad"]);
const EXTENSIONS_DOMAINS = new Set(["ai.onnx.contrib", "com.microsoft.extensions"]);
// Bytes per element of TensorProto.DataType (0 = not fixed-size or unknown); sub-byte types counted in bits below.
const ELEMENT_BITS: Record<number, number> = { 1: 32, 2: 8, 3: 8, 4: 16, 5: 16, 6: 32, 7: 64, 9: 8, 10: 16, 11: 64, 12: 32, 13: 64, 14: 64, 15: 128, 16: 16, 17: 8, 18: 8, 19: 8, 20: 8, 21: 4, 22: 4, 23: 4, 24: 8, 25: 2, 26: 2 };
const MAX_LISTED = 20;

/** Domain "" and "ai.onnx" are the same operator set. */
const normDomain = (d: string | undefined) => (d === undefined || d === "ai.onnx" ? "" : d);

/** Opsets and IR version: present, positive, not newer than known. */
export function checkVersions(model: Decoded, ctx: Ctx): void {
  const ir = model.ir_version;
  if (typeof ir !== "bigint" || ir <= 0n) ctx.report({ ruleId: RULES.malformed.id, message: "the model has no IR version (ir_version): loaders refuse it", evidence: { field: "ir_version" } });
  else if (ir > BigInt(MAX_IR_VERSION)) ctx.report({ ruleId: RULES.malformed.id, severity: "low", message: `IR version ${ir} is newer than any ONNX release known here (${MAX_IR_VERSION})`, evidence: { irVersion: Number(ir) } });
  const opsets = messages(model.opset_import);
  if (opsets.length === 0 && messages(model.graph).length > 0) ctx.report({ ruleId: RULES.malformed.id, message: "the model imports no opset (opset_import): loaders refuse it", evidence: { field: "opset_import" } });
  for (const o of opsets) {
    const domain = normDomain(str(o.domain));
    const v = o.version;
    const max = MAX_OPSET.get(domain);
    if (typeof v !== "bigint" || v <= 0n) ctx.report({ ruleId: RULES.malformed.id, message: `opset of domain \`${domain || "ai.onnx"}\` has no positive version`, evidence: { domain: domain || "ai.onnx" } });
    else if (max !== undefined && v > BigInt(max)) ctx.report({ ruleId: RULES.malformed.id, severity: "low", message: `opset ${v} of \`${domain || "ai.onnx"}\` is newer than any release known here (${max})`, evidence: { domain: domain || "ai.onnx", version: Number(v) } });
  }
}

/** Python ops, extension and custom domains, unknown standard ops, functions shadowing standard ops. */
export function checkOperators(parts: ModelParts, ctx: Ctx): void {
  const functions = new Set(parts.functions.map((f) => `${normDomain(str(f.domain))}\n${str(f.name) ?? ""}`));
  for (const f of parts.functions) {
    const domain = normDomain(str(f.domain));
    const name = str(f.name) ?? "";
    if (KNOWN_DOMAINS.get(domain)?.has(name)) {
      ctx.report({ ruleId: RULES.functionShadowsOp.id, message: `model function \`${domain || "ai.onnx"}.${name}\` has the name of a standard operator: nodes that look standard may run its body`, evidence: { domain: domain || "ai.onnx", name } });
    }
  }
  const custom = new Map<string, Set<string>>();
  const unknown = new Map<string, Set<string>>();
  const extensions = new Set<string>();
  for (const { node, where } of parts.nodes) {
    const op = str(node.op_type) ?? "";
    const domain = normDomain(str(node.domain));
    const record = `${domain ? `${domain}.` : ""}${op}`;
    if (PYTHON_OPS.has(op)) {
      const attrs: Record<string, string> = {};
      for (const a of messages(node.attribute)) {
        const s = a.s;
        if (s instanceof Uint8Array) attrs[str(a.name) ?? "?"] = new TextDecoder().decode(s).slice(0, 200);
      }
      const module = attrs.module ?? attrs.module_name;
      const cls = attrs.class_name ?? attrs.compute;
      ctx.recordImport({ kind: "op", name: record, safety: "dangerous" });
      if (module) ctx.recordImport({ kind: "module", name: module, safety: "unknown" });
      ctx.report({
        ruleId: RULES.pythonOp.id,
        message: `${where}: node \`${str(node.name) ?? ""}\` is a ${op} in domain \`${domain || "ai.onnx"}\`${module ? ` that imports \`${module}\`${cls ? ` and runs \`${cls}\`` : ""}` : ""}: running the model runs Python code`,
        evidence: { op, domain: domain || "ai.onnx", ...(module ? { module } : {}), ...(cls ? { callable: cls } : {}) },
      });
      continue;
    }
    if (functions.has(`${domain}\n${op}`)) {
      ctx.recordImport({ kind: "op", name: record, safety: "unknown" });
      continue;
    }
    const known = KNOWN_DOMAINS.get(domain);
    if (known) {
      if (known.has(op)) ctx.recordImport({ kind: "op", name: record, safety: "safe" });
      else {
        ctx.recordImport({ kind: "op", name: record, safety: "unknown" });
        const s = unknown.get(domain) ?? new Set();
        s.add(op);
        unknown.set(domain, s);
      }
      continue;
    }
    ctx.recordImport({ kind: "op", name: record, safety: "unknown" });
    if (EXTENSIONS_DOMAINS.has(domain)) extensions.add(op);
    else {
      const s = custom.get(domain) ?? new Set();
      s.add(op);
      custom.set(domain, s);
    }
  }
  const names = (s: Set<string>) => [...s].sort().slice(0, MAX_LISTED).join(", ") + (s.size > MAX_LISTED ? ` and ${s.size - MAX_LISTED} more` : "");
  if (extensions.size > 0) ctx.report({ ruleId: RULES.extensionsOp.id, message: `the graph uses onnxruntime-extensions operators (${names(extensions)}): they run only with that library, and Python functions registered with @onnx_op live in this domain`, evidence: { domain: "ai.onnx.contrib", ops: names(extensions) } });
  for (const [domain, ops] of custom) {
    ctx.report({ ruleId: RULES.customDomain.id, message: `the graph uses operators of the domain \`${domain}\` (${names(ops)}), which need a custom-op library registered by the loader`, evidence: { domain, ops: names(ops) } });
  }
  for (const [domain, ops] of unknown) {
    ctx.report({ ruleId: RULES.unknownOp.id, message: `\`${domain || "ai.onnx"}\` does not define ${names(ops)}`, evidence: { domain: domain || "ai.onnx", ops: names(ops) } });
  }
}

/** `location` of one external-data entry is safe only as a relative path that stays in the model's folder. */
export function locationProblem(location: string): string | undefined {
  if (location === "") return "is empty";
  if (location.includes("\0")) return "contains a NUL byte (the path is cut where C code reads it)";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return "is a URL";
  if (location.startsWith("/") || location.startsWith("\\") || /^[A-Za-z]:/.test(location)) return "is an absolute path";
  let depth = 0;
  for (const segment of location.split(/[\\/]+/)) {
    if (segment === "..") depth--;
    else if (segment !== "." && segment !== "") depth++;
    if (depth < 0) return "climbs out of the model's folder with `..`";
  }
  if (location.split(/[\\/]+/).includes("..")) return "contains `..`";
  return undefined;
}

/** External data entries and tensor sizes. */
export function checkTensors(tensors: TensorAt[], ctx: Ctx): { external: number; parameters?: number } {
  let external = 0;
  let params = 0n;
  let paramsKnown = true;
  let sizeProblems = 0;
  // Files the external data lives in (location → bytes read from it and the tensors), checked by the engine against the folder.
  const files = new Map<string, { end: bigint; tensors: number; first: string }>();
  for (const { tensor: t, where } of tensors) {
    const name = str(t.name) ?? "";
    const entries = messages(t.external_data);
    const isExternal = t.data_location === 1 || entries.length > 0;
    const dims = list(t.dims).filter((d): d is bigint => typeof d === "bigint");
    let elements: bigint | undefined = 1n;
    for (const d of dims) {
      if (d < 0n) {
        elements = undefined;
        ctx.report({ ruleId: RULES.malformed.id, message: `${where}: tensor \`${name}\` has the negative dimension ${d}`, evidence: { tensor: name } });
        break;
      }
      elements *= d;
    }
    if (list(t.dims).some((d) => d instanceof Skipped)) elements = undefined;
    if (elements === undefined) paramsKnown = false;
    else params += elements;
    if (isExternal) {
      external++;
      const kv = new Map(entries.map((e) => [str(e.key) ?? "", str(e.value)]));
      const location = kv.get("location");
      if (location === undefined) {
        ctx.report({ ruleId: RULES.malformed.id, message: `${where}: tensor \`${name}\` is stored externally but has no \`location\``, evidence: { tensor: name } });
        continue;
      }
      const problem = locationProblem(location);
      if (problem) {
        ctx.report({
          ruleId: location === "" ? RULES.malformed.id : RULES.externalDataEscape.id,
          message: `${where}: tensor \`${name}\` reads its data from \`${location.slice(0, 200)}\`, which ${problem}: the loader opens that path`,
          evidence: { tensor: name, location: location.slice(0, 200), problem },
        });
      }
      let end = 0n;
      for (const key of ["offset", "length"]) {
        const v = kv.get(key);
        if (v !== undefined && !/^\d{1,19}$/.test(v)) ctx.report({ ruleId: RULES.malformed.id, message: `${where}: tensor \`${name}\` has the external-data ${key} \`${v.slice(0, 40)}\`, not a non-negative integer`, evidence: { tensor: name, key } });
        else if (v !== undefined) end += BigInt(v);
      }
      if (!problem) {
        const file = files.get(location) ?? { end: 0n, tensors: 0, first: name };
        file.tensors++;
        if (end > file.end) file.end = end;
        files.set(location, file);
      }
      continue;
    }
    const raw = t.raw_data;
    const bits = ELEMENT_BITS[Number(t.data_type ?? 0)];
    if ((raw instanceof Skipped || raw instanceof Uint8Array) && elements !== undefined && bits !== undefined && sizeProblems < MAX_LISTED) {
      const want = (elements * BigInt(bits) + 7n) / 8n;
      if (BigInt(raw.length) !== want) {
        sizeProblems++;
        ctx.report({
          ruleId: RULES.malformed.id,
          message: `${where}: tensor \`${name}\` has ${raw.length} bytes of raw_data where its dims [${dims.join(", ")}] and type need ${want}: loaders reject it or read past it`,
          evidence: { tensor: name, rawBytes: raw.length, expected: want.toString() },
        });
      }
    }
  }
  for (const [location, f] of files) {
    ctx.recordReference({
      role: `external data of ${f.tensors} tensor${f.tensors === 1 ? "" : "s"} (first: ${f.first.slice(0, 80)})`,
      path: location.replace(/\\/g, "/"),
      minSize: f.end.toString(),
      rules: { missing: RULES.externalDataMissing.id, short: RULES.externalDataMissing.id, outside: RULES.externalDataEscape.id },
    });
  }
  const out: { external: number; parameters?: number } = { external };
  if (paramsKnown && params <= BigInt(Number.MAX_SAFE_INTEGER)) out.parameters = Number(params);
  return out;
}

/** metadata_props values and doc strings: templates parsed, the rest checked for code, commands, URLs, credentials. */
export function checkTexts(parts: ModelParts, ctx: Ctx): void {
  const values = new ValueAudit(ctx, metadataRuleIds(RULES));
  for (const t of parts.texts) {
    const label = `${t.where}: ${t.key === "doc_string" ? "doc_string" : `metadata \`${t.key.slice(0, 80)}\``}`;
    if (/chat_template/i.test(t.key) || /\{%[\s\S]*%\}|\{\{[\s\S]*\}\}/.test(t.value)) reportTemplateAudit(ctx, auditTemplate(t.value), RULES, { label });
    else values.check(t.value, { label });
  }
  values.flush();
}
