import type { tokenize } from "@huggingface/jinja";
import { IssueSink } from "./issue-sink.js";
import { DANGEROUS_NAMES, ESCAPE_GLOBALS, LOADING_STATEMENTS, containsDunder, isDunder, isPrivateName } from "./names.js";

type Token = ReturnType<typeof tokenize>[number];

/**
 * The fallback audit of a template that tokenizes but does not parse (the
 * chat-template parser lacks `()`, `{% import %}`, `{% raw %}` …, which full
 * Jinja2 renderers accept). It reads the lexer's tokens, never the raw text:
 * names after `.`, names used as variables, constant keys and `attr` names,
 * and statements that load other code.
 */
export function scanTokens(tokens: readonly Token[], sink: IssueSink): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (t.type === "Identifier") {
      const name = t.value;
      if (prev?.type === "OpenStatement" && LOADING_STATEMENTS.has(name)) {
        sink.add("loading-statement", name, `\`{% ${name} … %}\` loads other templates or modules`);
        continue;
      }
      const afterDot = prev?.type === "Dot";
      if (isDunder(name)) {
        sink.add("sandbox-escape", name, `${afterDot ? "attribute" : "name"} \`${name}\` is used: the first step of a sandbox escape (SSTI)`);
      } else if (afterDot && isPrivateName(name)) {
        sink.add("private-attribute", name, `private attribute \`${name}\` is read; Jinja's sandbox refuses \`_\` names`);
      } else if (DANGEROUS_NAMES.has(name)) {
        sink.add("dangerous-name", name, `uses the name \`${name}\`, which only code execution needs`);
      } else if (!afterDot && ESCAPE_GLOBALS.has(name) && next?.type === "Dot") {
        sink.add("sandbox-escape", name, `reads an attribute of the Jinja global \`${name}\`: globals lead to Python's \`__globals__\``, "high");
      }
    } else if (t.type === "StringLiteral") {
      const s = t.value;
      const keyed = prev?.type === "OpenSquareBracket" || (prev?.type === "OpenParen" && tokens[i - 2]?.value === "attr");
      if (keyed && (isDunder(s) || containsDunder(s))) {
        sink.add("sandbox-escape", s, `item or attribute \`${s}\` is reached by a constant key: the first step of a sandbox escape (SSTI)`);
      } else if (keyed && DANGEROUS_NAMES.has(s)) {
        sink.add("dangerous-name", s, `item or attribute \`${s}\` is reached by a constant key`);
      } else if (containsDunder(s)) {
        sink.add("suspicious-string", s.length > 80 ? s.slice(0, 80) + "…" : s, "a string constant mentions a dunder name");
      }
    }
  }
}
