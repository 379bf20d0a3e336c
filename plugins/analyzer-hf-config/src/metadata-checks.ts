import type { AnalyzerContext } from "@modelward/core";
import { auditTemplate, reportTemplateAudit } from "@modelward/jinja-audit";
import { RULES } from "./rules.js";
import { ValueAudit } from "@modelward/plugin-kit";
import { walkStrings, type StringAt } from "./walk.js";
import { claimsTrust, namespaceOf, typosquatOf } from "./major-orgs.js";

type Ctx = Pick<AnalyzerContext, "report" | "incomplete" | "describe" | "recordImport" | "recordReference">;

/** Keys whose value claims where the model comes from. */
const CLAIM_KEYS = new Set(["_name_or_path", "name_or_path", "base_model", "base_model_name_or_path", "model_id", "base_model_id"]);

/** True for a value that holds a chat template: `chat_template`, `custom_chat_template`, the `template` of a named list entry. */
function isTemplateSlot(s: StringAt): boolean {
  return /chat_template/i.test(s.key) || /\/[^/]*chat_template[^/]*\/\d+\/template$/i.test(s.pointer);
}

/** A string that is not in a template slot but carries Jinja statements or expressions. */
function looksLikeTemplate(value: string): boolean {
  return /\{%[\s\S]*%\}|\{\{[\s\S]*\}\}/.test(value);
}

/** Auto-class references: `module.Class`, `owner/repo--module.Class`, arrays of them (tokenizers: [slow, fast]). */
function autoMapRefs(doc: Record<string, unknown>): Array<{ pointer: string; auto: string; ref: string }> {
  const out: Array<{ pointer: string; auto: string; ref: string }> = [];
  const add = (pointer: string, auto: string, v: unknown) => {
    if (typeof v === "string") out.push({ pointer, auto, ref: v });
    else if (Array.isArray(v)) v.forEach((x, i) => typeof x === "string" && out.push({ pointer: `${pointer}/${i}`, auto, ref: x }));
  };
  const autoMap = doc.auto_map;
  if (autoMap && typeof autoMap === "object" && !Array.isArray(autoMap)) {
    for (const [auto, v] of Object.entries(autoMap as Record<string, unknown>)) add(`/auto_map/${auto.replace(/~/g, "~0").replace(/\//g, "~1")}`, auto, v);
  }
  const pipelines = doc.custom_pipelines;
  if (pipelines && typeof pipelines === "object" && !Array.isArray(pipelines)) {
    for (const [task, spec] of Object.entries(pipelines as Record<string, unknown>)) {
      if (spec && typeof spec === "object") add(`/custom_pipelines/${task}/impl`, `pipeline ${task}`, (spec as Record<string, unknown>).impl);
    }
  }
  return out;
}

/** The `.py` file a reference makes transformers import, relative to the config's folder. */
export function moduleFile(ref: string): { repo?: string; file: string; className: string } {
  let rest = ref;
  let repo: string | undefined;
  const sep = ref.indexOf("--");
  if (sep > 0) {
    repo = ref.slice(0, sep);
    rest = ref.slice(sep + 2);
  }
  const dot = rest.lastIndexOf(".");
  const module = dot > 0 ? rest.slice(0, dot) : rest;
  const className = dot > 0 ? rest.slice(dot + 1) : "";
  const file = `${module.replace(/\./g, "/")}.py`;
  return repo === undefined ? { file, className } : { repo, file, className };
}

/**
 * The checks every Hugging Face metadata document gets (config.json,
 * tokenizer_config.json, generation_config.json, YAML configs, model-card
 * front matter): chat templates, custom code, namespace claims, and what
 * string values carry.
 */
export function checkMetadata(doc: unknown, ctx: Ctx, fileLabel: string): void {
  const { strings, truncated } = walkStrings(doc);
  if (truncated) ctx.incomplete(`${fileLabel}: more than 100,000 strings or 64 levels; the rest was not checked`);

  const templated = new Set<string>();
  for (const s of strings) {
    if (!isTemplateSlot(s) && !looksLikeTemplate(s.value)) continue;
    if (s.value.trim() === "") continue;
    templated.add(s.pointer);
    const label = isTemplateSlot(s) ? `chat template at ${s.pointer} of ${fileLabel}` : `template-like value at ${s.pointer} of ${fileLabel}`;
    reportTemplateAudit(ctx, auditTemplate(s.value), RULES, { label, jsonPointer: s.pointer });
  }

  if (doc && typeof doc === "object" && !Array.isArray(doc)) {
    for (const { pointer, auto, ref } of autoMapRefs(doc as Record<string, unknown>)) {
      const m = moduleFile(ref);
      // The dotted module name (what Python imports), so a scan-level check can find the file that supplies it.
      ctx.recordImport({ kind: "module", name: m.repo ? `${m.repo}--${m.file}` : m.file.slice(0, -3).replace(/\//g, "."), safety: "unknown" });
      if (m.repo) {
        ctx.report({
          ruleId: RULES.remoteCodeReference.id,
          message: `${fileLabel}: ${auto} → \`${ref}\`: trust_remote_code=True downloads \`${m.file}\` from the repository \`${m.repo}\` and runs it`,
          position: { jsonPointer: pointer },
          evidence: { auto, reference: ref, repository: m.repo, file: m.file },
        });
      } else {
        ctx.report({
          ruleId: RULES.customCode.id,
          message: `${fileLabel}: ${auto} → \`${ref}\`: trust_remote_code=True imports \`${m.file}\` from the model folder and runs it`,
          position: { jsonPointer: pointer },
          evidence: { auto, reference: ref, file: m.file },
        });
        ctx.recordReference({ role: `the module of ${auto.slice(0, 80)}`, path: m.file, position: { jsonPointer: pointer }, rules: { missing: RULES.customCodeMissing.id } });
      }
    }
  }

  const values = new ValueAudit(ctx, { code: RULES.codeInValue.id, secret: RULES.secretInValue.id, url: RULES.urlInValue.id });
  for (const s of strings) {
    const claimKey = CLAIM_KEYS.has(s.key) || /^\/base_model\/\d+$/.test(s.pointer);
    if (claimKey) {
      const ns = namespaceOf(s.value);
      if (ns !== undefined) {
        const squat = typosquatOf(ns);
        if (squat) {
          ctx.report({
            ruleId: RULES.namespaceTyposquat.id,
            message: `${fileLabel}: ${s.pointer.slice(1)} claims \`${s.value}\`, whose namespace \`${ns}\` imitates \`${squat.org}\` (${squat.how})`,
            position: { jsonPointer: s.pointer },
            evidence: { claimed: s.value, namespace: ns, imitates: squat.org, how: squat.how },
          });
        } else if (claimsTrust(ns)) {
          ctx.report({
            ruleId: RULES.namespaceTrustClaim.id,
            message: `${fileLabel}: ${s.pointer.slice(1)} claims \`${s.value}\`, a namespace made of trust words rather than a publisher's name`,
            position: { jsonPointer: s.pointer },
            evidence: { claimed: s.value, namespace: ns },
          });
        }
      }
    }
    if (templated.has(s.pointer)) continue;
    values.check(s.value, { label: `${fileLabel}: ${s.pointer || "/"}`, jsonPointer: s.pointer });
  }
  values.flush();
}
