export { runCli } from "./main.js";
export { recommendedConfig, PRESETS } from "./recommended.js";
export { processIO, EXIT, type CliIO } from "./io.js";
export { VERSION } from "./version.js";
export { renderRulesMarkdown } from "./rules-markdown.js";
