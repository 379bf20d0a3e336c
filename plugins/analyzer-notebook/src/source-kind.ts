import type { FileRef } from "@modelward/core";
import { looksLikeNotebook } from "@modelward/notebook";

/** Extensions of Python sources and of config-like text where credentials are written. */
const TEXT_EXTENSIONS = new Set(["py", "pyw", "ipy", "env", "cfg", "ini", "toml", "yaml", "yml", "json", "sh", "bash", "zsh", "conf", "properties", "netrc", "pypirc", "npmrc", "pgpass"]);
/** Names with no telling extension that hold credentials. */
const TEXT_NAMES = new Set([".env", ".netrc", ".pypirc", ".npmrc", ".pgpass", "credentials", ".git-credentials", "kaggle.json"]);
/**
 * JSON files that are model or tokenizer configs, owned by the model analyzers
 * (and often large vocabularies): not scanned as config text.
 */
const MODEL_JSON = /^(?:config|tokenizer|tokenizer_config|generation_config|special_tokens_map|vocab|preprocessor_config|processor_config|added_tokens|adapter_config|model_index|trainer_state|scheduler_config|feature_extractor_config|chat_template|image_processor_config)\.json$|\.index\.json$|^keras_metadata|^metadata\.json$/i;

/** True when the head holds NUL bytes: binary content, not text. */
export function looksBinary(head: Uint8Array): boolean {
  return head.subarray(0, 8192).includes(0);
}

/**
 * Whether the source analyzer reads this file as text: Python sources,
 * `.env` files and config-like text, not notebooks (the notebook analyzer's),
 * not model/tokenizer JSON configs, not binary content.
 */
export function isSourceText(file: FileRef, head: Uint8Array): boolean {
  const name = file.name.toLowerCase();
  const ext = file.extension;
  const byName = TEXT_NAMES.has(name) || name.startsWith(".env.") || TEXT_EXTENSIONS.has(ext);
  if (!byName) return false;
  if (ext === "json" && MODEL_JSON.test(name)) return false;
  if (looksBinary(head)) return false;
  if ((ext === "json" || ext === "ipynb") && looksLikeNotebook(head)) return false;
  return true;
}
