import {
  LIMIT_KEYS,
  SEVERITIES,
  isSeverity,
  type ConfigIssue,
  type ConfigObject,
} from "@modelward/core";

const KNOWN_KEYS = new Set([
  "$schema",
  "extends",
  "plugins",
  "rulesets",
  "rules",
  "analyzers",
  "sources",
  "ignore",
  "suppressions",
  "reporters",
  "failOn",
  "failOnIncomplete",
  "hashes",
  "limits",
]);

const escapePointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const SEVERITY_LIST = SEVERITIES.join(", ");

/**
 * Checks the shape of a config object and returns every problem at once,
 * each with where it is and how to fix it. An empty list means valid.
 * Plugin objects (from a JS config) are accepted where package names are.
 */
export function validateConfig(config: unknown, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (pointer: string, message: string, fix: string) => issues.push({ file, pointer, message, fix });

  if (!isObject(config)) {
    add("", "the config must be an object", "write a JSON object such as { \"extends\": [\"modelward:recommended\"] }");
    return issues;
  }
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.has(key)) {
      add(`/${escapePointer(key)}`, `unknown key "${key}"`, `remove it; known keys are ${[...KNOWN_KEYS].join(", ")}`);
    }
  }
  checkStringList(config.extends, "/extends", "preset names such as \"modelward:recommended\"", add);
  checkEntries(config.plugins, "/plugins", "plugin", add);
  checkEntries(config.rulesets, "/rulesets", "ruleset", add);
  checkStringList(config.ignore, "/ignore", "glob patterns such as \"**/fixtures/**\"", add);

  if (config.rules !== undefined) {
    if (!isObject(config.rules)) add("/rules", "rules must be an object keyed by rule id", "write { \"pickle/unknown-global\": \"low\" }");
    else
      for (const [id, setting] of Object.entries(config.rules)) {
        const at = `/rules/${escapePointer(id)}`;
        const sev = isObject(setting) ? setting.severity : setting;
        if (isObject(setting)) {
          for (const k of Object.keys(setting))
            if (k !== "severity") add(`${at}/${escapePointer(k)}`, `unknown rule setting "${k}"`, "only \"severity\" is supported");
          if (sev === undefined) continue;
        }
        if (sev !== "off" && !isSeverity(sev))
          add(at, `invalid rule setting ${JSON.stringify(setting)}`, `use "off" or one of ${SEVERITY_LIST}`);
      }
  }

  if (config.analyzers !== undefined) {
    if (!isObject(config.analyzers)) add("/analyzers", "analyzers must be an object keyed by analyzer id", "write { \"pickle\": false }");
    else
      for (const [id, setting] of Object.entries(config.analyzers)) {
        const at = `/analyzers/${escapePointer(id)}`;
        if (typeof setting === "boolean") continue;
        if (!isObject(setting)) {
          add(at, "an analyzer setting must be a boolean or an object", "write true, false or { \"options\": { … } }");
          continue;
        }
        for (const k of Object.keys(setting))
          if (k !== "enabled" && k !== "options") add(`${at}/${escapePointer(k)}`, `unknown analyzer setting "${k}"`, "use \"enabled\" or \"options\"");
        if (setting.enabled !== undefined && typeof setting.enabled !== "boolean") add(`${at}/enabled`, "enabled must be a boolean", "write true or false");
        if (setting.options !== undefined && !isObject(setting.options)) add(`${at}/options`, "options must be an object", "write { … }");
      }
  }

  if (config.sources !== undefined) {
    if (!isObject(config.sources)) add("/sources", "sources must be an object keyed by source id", "write { \"hf\": { \"token\": … } }");
    else
      for (const [id, options] of Object.entries(config.sources))
        if (!isObject(options)) add(`/sources/${escapePointer(id)}`, "source options must be an object", "write { … }");
  }

  if (config.suppressions !== undefined) {
    if (!Array.isArray(config.suppressions)) add("/suppressions", "suppressions must be an array", "write [{ \"rule\": …, \"justification\": … }]");
    else
      config.suppressions.forEach((entry, i) => {
        const at = `/suppressions/${i}`;
        if (!isObject(entry)) return add(at, "a suppression must be an object", "write { \"rule\": …, \"path\": …, \"justification\": … }");
        for (const k of Object.keys(entry))
          if (!["rule", "path", "fingerprint", "justification"].includes(k))
            add(`${at}/${escapePointer(k)}`, `unknown suppression key "${k}"`, "use rule, path, fingerprint and justification");
        if (typeof entry.justification !== "string" || entry.justification.trim() === "")
          add(`${at}/justification`, "a suppression needs a justification", "say why this finding is accepted");
        for (const k of ["rule", "path", "fingerprint"] as const)
          if (entry[k] !== undefined && typeof entry[k] !== "string") add(`${at}/${k}`, `${k} must be a string`, `write a ${k} string`);
        if (entry.rule === undefined && entry.path === undefined && entry.fingerprint === undefined)
          add(at, "a suppression must name a rule, a path or a fingerprint", "add at least one of rule, path, fingerprint (a suppression of everything is not allowed)");
      });
  }

  if (config.reporters !== undefined) {
    if (!Array.isArray(config.reporters)) add("/reporters", "reporters must be an array", "write [\"console\", [\"sarif\", { \"output\": \"out.sarif\" }]]");
    else
      config.reporters.forEach((entry, i) => {
        const ok =
          typeof entry === "string" ||
          (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === "string" && isObject(entry[1]));
        if (!ok) add(`/reporters/${i}`, "a reporter entry must be an id or [id, options]", "write \"json\" or [\"json\", { \"output\": \"report.json\" }]");
      });
  }

  if (config.failOn !== undefined && config.failOn !== "none" && !isSeverity(config.failOn))
    add("/failOn", `invalid failOn ${JSON.stringify(config.failOn)}`, `use "none" or one of ${SEVERITY_LIST}`);
  for (const key of ["failOnIncomplete", "hashes"] as const)
    if (config[key] !== undefined && typeof config[key] !== "boolean") add(`/${key}`, `${key} must be a boolean`, "write true or false");

  if (config.limits !== undefined) {
    if (!isObject(config.limits)) add("/limits", "limits must be an object", "write { \"maxDepth\": 4 }");
    else
      for (const [key, value] of Object.entries(config.limits)) {
        if (!(LIMIT_KEYS as string[]).includes(key)) add(`/limits/${escapePointer(key)}`, `unknown limit "${key}"`, `use one of ${LIMIT_KEYS.join(", ")}`);
        else if (typeof value !== "number" || !Number.isFinite(value) || value < (key === "maxDepth" ? 0 : 1) || (key !== "maxCompressionRatio" && !Number.isInteger(value)))
          add(`/limits/${key}`, `invalid value ${JSON.stringify(value)}`, key === "maxDepth" ? "use a whole number ≥ 0" : "use a positive whole number");
      }
  }
  return issues;
}

type Add = (pointer: string, message: string, fix: string) => void;

function checkStringList(value: unknown, at: string, what: string, add: Add): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return add(at, `${at.slice(1)} must be an array`, `write an array of ${what}`);
  value.forEach((v, i) => {
    if (typeof v !== "string" || v === "") add(`${at}/${i}`, "expected a non-empty string", `write ${what}`);
  });
}

function checkEntries(value: unknown, at: string, kind: string, add: Add): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return add(at, `${at.slice(1)} must be an array`, `write an array of ${kind} package names or paths`);
  value.forEach((v, i) => {
    if (!(typeof v === "string" && v !== "") && !isObject(v))
      add(`${at}/${i}`, `expected a ${kind} package name, a path or a ${kind} object`, `write "@modelward/${kind === "plugin" ? "analyzer-pickle" : "ruleset-default"}" or "./my-${kind}.json"`);
  });
}

/** True when `config` passes {@link validateConfig}. */
export function isConfigObject(config: unknown): config is ConfigObject {
  return validateConfig(config, "<object>").length === 0;
}
