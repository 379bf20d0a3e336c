/**
 * Hugging Face organisations whose names are worth imitating. A claimed
 * namespace a few edits or look-alike characters away from one of these is a
 * typosquat; the organisation itself (any letter case) is not.
 */
export const MAJOR_ORGS: readonly string[] = [
  "meta-llama", "facebook", "mistralai", "google", "google-bert", "google-t5", "microsoft", "openai",
  "openai-community", "Qwen", "deepseek-ai", "tiiuae", "bigscience", "EleutherAI", "stabilityai",
  "huggingface", "HuggingFaceH4", "HuggingFaceTB", "HuggingFaceM4", "nvidia", "apple", "amazon",
  "ibm-granite", "CohereForAI", "CohereLabs", "01-ai", "THUDM", "zai-org", "baichuan-inc", "internlm",
  "allenai", "databricks", "mosaicml", "Salesforce", "sentence-transformers", "BAAI", "intfloat",
  "openbmb", "lmsys", "NousResearch", "xai-org", "moonshotai", "black-forest-labs", "runwayml",
  "CompVis", "laion", "unsloth", "TheBloke", "bartowski", "anthropic",
];

/** Look-alike characters folded before comparing (the digit 0 for o, capital I for l …). */
function fold(name: string): string {
  return name
    .replace(/I/g, "l")
    .toLowerCase()
    .replace(/0/g, "o")
    .replace(/[1|]/g, "l")
    .replace(/5/g, "s")
    .replace(/rn/g, "m")
    .replace(/vv/g, "w")
    .replace(/[_.]/g, "-");
}

/** Optimal-string-alignment distance (adjacent swaps cost one), stopping past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2: number[] = new Array(b.length + 1).fill(0);
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  let before = prev2;
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (before[j - 2] as number) + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    before = prev;
    prev = cur;
  }
  return prev[b.length] as number;
}

/** What a claimed namespace imitates, if anything. */
export interface SquatVerdict {
  org: string;
  how: "look-alike characters" | "edit distance 1" | "edit distance 2";
}

/**
 * The major organisation `namespace` imitates, or undefined when it is one of
 * them (case-insensitively) or not close to any. Short names need a closer
 * match: four letters or fewer only by look-alike characters, up to seven by
 * one edit, longer ones by two.
 */
export function typosquatOf(namespace: string): SquatVerdict | undefined {
  const lower = namespace.toLowerCase();
  if (MAJOR_ORGS.some((o) => o.toLowerCase() === lower)) return undefined;
  const folded = fold(namespace);
  for (const org of MAJOR_ORGS) {
    if (fold(org) === folded) return { org, how: "look-alike characters" };
  }
  for (const org of MAJOR_ORGS) {
    const o = org.toLowerCase();
    const max = o.length <= 4 ? 0 : o.length <= 7 ? 1 : 2;
    if (max === 0) continue;
    const d = editDistance(lower, o, max);
    if (d <= max) return { org, how: d === 1 ? "edit distance 1" : "edit distance 2" };
  }
  return undefined;
}

const TRUST_WORDS = /^(?:the[-_]?)?(?:official|verified|trusted|authentic|genuine|certified)(?:[-_]|$)|[-_](?:official|verified|trusted)$/i;

/** True for namespaces made of trust words (`official`, `trusted-org`, `verified-models`). */
export function claimsTrust(namespace: string): boolean {
  return TRUST_WORDS.test(namespace);
}

/** The namespace of a Hugging Face repo id (`owner/name`), or undefined for local paths and other strings. */
export function namespaceOf(repoId: string): string | undefined {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,95})\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/.exec(repoId.trim());
  return m ? m[1] : undefined;
}
