import { emptyManifest, type ParsedManifest } from "./declared-dependency.js";
import { parseRequirement } from "./pep508.js";

/**
 * setuptools' `setup.cfg`: `[options] install_requires`, `setup_requires`,
 * `tests_require` and `[options.extras_require]`, each a multi-line value of
 * PEP 508 strings (configparser syntax: continuation lines are indented).
 */
export function parseSetupCfg(text: string): ParsedManifest {
  const manifest = emptyManifest();
  const lines = text.split(/\r\n|\n|\r/);
  let section = "";
  let key: string | undefined;
  let group: string | undefined;
  const take = (value: string, line: number) => {
    // configparser (as setuptools uses it) has no inline comments: a `;` after a requirement is its marker.
    const item = value.trim();
    if (!item) return;
    const parsed = parseRequirement(item);
    if (!parsed.ok) manifest.problems.push({ line, message: parsed.error });
    else manifest.dependencies.push({ ...parsed.value, hashes: [], line, ecosystem: "pypi", ...(group ? { group } : {}) });
  };
  const wanted = (s: string, k: string) =>
    (s === "options" && ["install_requires", "setup_requires", "tests_require"].includes(k)) || s === "options.extras_require";
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^\s*[#;]/.test(raw) || raw.trim() === "") continue;
    const header = /^\[([^\]]+)\]\s*$/.exec(raw.trim());
    if (header && !/^\s/.test(raw)) {
      section = header[1]!.trim().toLowerCase();
      key = undefined;
      continue;
    }
    if (/^\s/.test(raw) && key !== undefined) {
      if (wanted(section, key)) take(raw, i + 1);
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!kv) {
      if (section === "options" || section === "options.extras_require") manifest.problems.push({ line: i + 1, message: `unreadable line in [${section}]` });
      key = undefined;
      continue;
    }
    key = kv[1]!.trim().toLowerCase();
    group = section === "options.extras_require" ? key : key === "install_requires" ? undefined : key;
    if (wanted(section, key) && kv[2]!.trim()) take(kv[2]!, i + 1);
  }
  return manifest;
}
