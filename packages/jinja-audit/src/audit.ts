import { parse, tokenize } from "@huggingface/jinja";
import { fold, stringsOf, type Folded, type JNode } from "./fold.js";
import {
  DANGEROUS_NAMES,
  ESCAPE_GLOBALS,
  SAFE_FILTERS,
  SAFE_FUNCTIONS,
  SAFE_METHODS,
  SAFE_TESTS,
  containsDunder,
  isDunder,
  isPrivateName,
} from "./names.js";
import { show } from "./show.js";
import { IssueSink } from "./issue-sink.js";
import { scanTokens } from "./token-scan.js";
import type { TemplateAudit, TemplateAuditOptions } from "./types.js";

const DEFAULT_MAX_CHARS = 1_000_000;
const DEFAULT_MAX_DEPTH = 400;
// Rounds of `{% set %}` propagation: enough for chains like a → b → c.
const BINDING_ROUNDS = 4;

function isNode(v: unknown): v is JNode {
  return typeof v === "object" && v !== null && typeof (v as JNode).type === "string";
}

/** Child nodes of any AST node, whatever its type (so new node types are still walked). */
function children(node: JNode): JNode[] {
  const out: JNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "type" || key === "operator") continue;
    if (isNode(value)) {
      out.push(value);
    } else if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) out.push(v);
    } else if (value instanceof Map) {
      for (const [k, v] of value) {
        if (isNode(k)) out.push(k);
        if (isNode(v)) out.push(v);
      }
    }
  }
  return out;
}

/** Names a template binds itself (loop variables, `set` targets, macro names and parameters). */
function localNames(root: JNode): Set<string> {
  const names = new Set<string>();
  const addTarget = (t: unknown) => {
    if (!isNode(t)) return;
    if (t.type === "Identifier") names.add(t.value as string);
    else if (t.type === "TupleLiteral" || t.type === "ArrayLiteral") for (const x of t.value as unknown[]) addTarget(x);
  };
  const stack: JNode[] = [root];
  let guard = 0;
  while (stack.length > 0 && guard++ < 1_000_000) {
    const n = stack.pop() as JNode;
    if (n.type === "For") addTarget(n.loopvar);
    else if (n.type === "Set") addTarget(n.assignee);
    else if (n.type === "Macro") {
      addTarget(n.name);
      for (const a of n.args as JNode[]) addTarget(a.type === "KeywordArgumentExpression" ? a.key : a);
    } else if (n.type === "CallStatement" && Array.isArray(n.callerArgs)) for (const a of n.callerArgs as JNode[]) addTarget(a);
    stack.push(...children(n));
  }
  names.add("loop");
  names.add("caller");
  return names;
}

/** Constant `{% set name = … %}` bindings (last constant assignment wins; a non-constant one removes it). */
function constantBindings(root: JNode): Map<string, Folded> {
  const sets: JNode[] = [];
  const stack: JNode[] = [root];
  let guard = 0;
  while (stack.length > 0 && guard++ < 1_000_000) {
    const n = stack.pop() as JNode;
    if (n.type === "Set" && isNode(n.assignee) && n.assignee.type === "Identifier" && isNode(n.value)) sets.push(n);
    stack.push(...children(n));
  }
  let bindings = new Map<string, Folded>();
  for (let round = 0; round < BINDING_ROUNDS; round++) {
    const next = new Map<string, Folded>();
    const dropped = new Set<string>();
    for (const s of sets) {
      const name = (s.assignee as JNode).value as string;
      const v = fold(s.value as JNode, bindings);
      if (v === undefined) dropped.add(name);
      else if (!dropped.has(name)) next.set(name, v);
    }
    for (const d of dropped) next.delete(d);
    bindings = next;
  }
  return bindings;
}

/** True when a node evaluates to a string by some operation, not as a single literal. */
function isBuilt(node: JNode): boolean {
  return node.type !== "StringLiteral";
}

/** Walks the AST of one template and fills the sink. */
class AstAuditor {
  private readonly locals: Set<string>;
  private readonly bindings: Map<string, Folded>;
  truncated = false;

  constructor(
    root: JNode,
    private readonly sink: IssueSink,
    private readonly maxDepth: number,
  ) {
    this.locals = localNames(root);
    this.bindings = constantBindings(root);
  }

  /** Judges a name used to reach an attribute or item. */
  private accessName(name: string, how: string, expr: JNode, built: boolean): void {
    const via = built ? ` (the name is built by string tricks)` : "";
    if (isDunder(name) || (how !== "attribute" && containsDunder(name))) {
      this.sink.add("sandbox-escape", name, `${how} \`${name}\` is reached in \`${show(expr)}\`${via}: the first step of a sandbox escape (SSTI)`);
    } else if (isPrivateName(name)) {
      this.sink.add("private-attribute", name, `private ${how} \`${name}\` is reached in \`${show(expr)}\`${via}; Jinja's sandbox refuses \`_\` names`);
    } else if (DANGEROUS_NAMES.has(name)) {
      this.sink.add("dangerous-name", name, `${how} \`${name}\` is reached in \`${show(expr)}\`${via}; only code execution needs it`);
    } else if (built && containsDunder(name)) {
      this.sink.add("obfuscated-name", name, `\`${show(expr)}\` builds \`${name}\``);
    }
  }

  /** Judges a constant string an expression builds (not a plain literal). */
  private builtString(node: JNode): void {
    const v = fold(node, this.bindings);
    if (v === undefined) return;
    for (const s of stringsOf(v)) {
      if (containsDunder(s) || DANGEROUS_NAMES.has(s.trim())) {
        this.sink.add("obfuscated-name", s, `\`${show(node)}\` builds the string \`${s.length > 80 ? s.slice(0, 80) + "…" : s}\``);
      }
    }
  }

  walk(node: JNode, depth: number): void {
    if (depth > this.maxDepth) {
      this.truncated = true;
      return;
    }
    this.visit(node);
    for (const c of children(node)) {
      // The property name of `x.name` and keyword keys are names, not variables: judged in visit().
      if (node.type === "MemberExpression" && !node.computed && c === node.property) continue;
      if (node.type === "KeywordArgumentExpression" && c === node.key) continue;
      if ((node.type === "FilterExpression" || node.type === "FilterStatement") && c === node.filter) {
        if (c.type === "CallExpression") for (const a of children(c)) if (a !== c.callee) this.walk(a, depth + 1);
        continue;
      }
      if (node.type === "TestExpression" && c === node.test) continue;
      this.walk(c, depth + 1);
    }
  }

  private visit(node: JNode): void {
    switch (node.type) {
      case "MemberExpression": {
        const obj = node.object as JNode;
        const prop = node.property as JNode;
        if (!node.computed) {
          this.accessName(prop.value as string, "attribute", node, false);
        } else if (prop.type !== "SliceExpression") {
          const key = fold(prop, this.bindings);
          if (typeof key === "string") this.accessName(key, "item", node, isBuilt(prop));
        } else {
          this.builtString(node);
        }
        if (obj.type === "Identifier" && ESCAPE_GLOBALS.has(obj.value as string) && !this.locals.has(obj.value as string)) {
          const name = obj.value as string;
          this.sink.add("sandbox-escape", name, `reads an attribute of the Jinja global \`${name}\` in \`${show(node)}\`: globals lead to Python's \`__globals__\``, "high");
        }
        return;
      }
      case "Identifier": {
        const name = node.value as string;
        if (DANGEROUS_NAMES.has(name) && !this.locals.has(name)) {
          this.sink.add("dangerous-name", name, `uses the name \`${name}\`, which only code execution needs`);
        } else if (isDunder(name)) {
          this.sink.add("sandbox-escape", name, `uses the variable \`${name}\``);
        }
        return;
      }
      case "FilterExpression":
      case "FilterStatement": {
        const f = node.filter as JNode;
        const name = (f.type === "CallExpression" ? (f.callee as JNode).value : f.value) as string;
        if (name === "attr") {
          const arg = f.type === "CallExpression" ? (f.args as JNode[])[0] : undefined;
          const key = arg ? fold(arg, this.bindings) : undefined;
          if (typeof key === "string") this.accessName(key, "attribute", node, arg !== undefined && isBuilt(arg));
          else this.sink.add("dynamic-attribute", "attr", `\`${show(node)}\` reads an attribute whose name is not a constant`);
        } else if (DANGEROUS_NAMES.has(name)) {
          this.sink.add("dangerous-name", name, `uses the filter \`${name}\``);
        } else if (!SAFE_FILTERS.has(name)) {
          this.sink.add("unknown-call", `|${name}`, `uses the filter \`${name}\`, not a standard Jinja filter`);
        }
        if (node.type === "FilterExpression") this.builtString(node);
        return;
      }
      case "TestExpression": {
        const name = (node.test as JNode).value as string;
        if (!SAFE_TESTS.has(name)) this.sink.add("unknown-call", `is ${name}`, `uses the test \`${name}\`, not a standard Jinja test`);
        return;
      }
      case "CallExpression": {
        const callee = node.callee as JNode;
        if (callee.type === "Identifier") {
          const name = callee.value as string;
          if (!SAFE_FUNCTIONS.has(name) && !this.locals.has(name) && !DANGEROUS_NAMES.has(name) && !isDunder(name)) {
            this.sink.add("unknown-call", `${name}()`, `calls \`${name}()\`, not a function chat templates are given`);
          }
        } else if (callee.type === "MemberExpression" && !callee.computed) {
          const name = (callee.property as JNode).value as string;
          if (name === "format") {
            const fmt = fold(callee.object as JNode, this.bindings);
            if (typeof fmt === "string" && /\{[^{}]*[.[][^{}]*\}/.test(fmt) && containsDunder(fmt)) {
              this.sink.add("sandbox-escape", fmt, `\`${show(node)}\` reaches a dunder attribute through a format field`);
            }
          }
          if (!SAFE_METHODS.has(name) && !isPrivateName(name) && !DANGEROUS_NAMES.has(name)) {
            this.sink.add("unknown-call", `.${name}()`, `calls the method \`${name}()\`, not one chat templates need`);
          }
        }
        this.builtString(node);
        return;
      }
      case "BinaryExpression":
        this.builtString(node);
        return;
      case "StringLiteral": {
        const s = node.value as string;
        if (containsDunder(s)) this.sink.add("suspicious-string", s.length > 80 ? s.slice(0, 80) + "…" : s, "a string constant mentions a dunder name");
        return;
      }
      default:
        return;
    }
  }
}

/**
 * Audits a Jinja template without rendering it: parses it with
 * `@huggingface/jinja` (the parser transformers.js renders chat templates
 * with) and judges the AST; when the template does not parse, judges its
 * tokens instead (a renderer with a fuller grammar may still run it), and
 * says so with an `unparsable` issue.
 */
export function auditTemplate(source: string, options: TemplateAuditOptions = {}): TemplateAudit {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const sink = new IssueSink();
  if (source.length > maxChars) {
    sink.add("unparsable", "size", `the template has ${source.length} characters, more than the ${maxChars} audited`);
    return { parsed: false, tokenized: false, error: "template too large", incomplete: `template of ${source.length} characters not audited (limit ${maxChars})`, issues: sink.list() };
  }
  let tokens;
  try {
    tokens = tokenize(source, { lstrip_blocks: true, trim_blocks: true });
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    sink.add("unparsable", "tokens", `the template cannot be read as Jinja (${error}); no renderer with a sandbox would run it`);
    return { parsed: false, tokenized: false, error, incomplete: `template not tokenized: ${error}`, issues: sink.list() };
  }
  let program: JNode;
  try {
    program = parse(tokens) as unknown as JNode;
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    sink.add("unparsable", "parse", `the template does not parse as the chat-template Jinja subset (${error}); judged by its tokens`);
    scanTokens(tokens, sink);
    return { parsed: false, tokenized: true, error, issues: sink.list() };
  }
  const auditor = new AstAuditor(program, sink, maxDepth);
  auditor.walk(program, 0);
  const out: TemplateAudit = { parsed: true, tokenized: true, issues: sink.list() };
  if (auditor.truncated) out.incomplete = `template nested deeper than ${maxDepth} levels; the deepest parts were not audited`;
  return out;
}
