import { describe, expect, it } from "vitest";
import { auditTemplate } from "./audit.js";
import { POPULAR_CHAT_TEMPLATES } from "./popular-chat-templates.fixture.js";
import type { TemplateAudit, TemplateIssueKind } from "./types.js";

const AT_LEAST_MEDIUM = new Set(["critical", "high", "medium"]);

function kinds(audit: TemplateAudit): string[] {
  return audit.issues.map((i) => `${i.kind}:${i.severity}`);
}

function has(audit: TemplateAudit, kind: TemplateIssueKind, severity: string, name?: string | RegExp): boolean {
  return audit.issues.some(
    (i) => i.kind === kind && i.severity === severity && (name === undefined || (typeof name === "string" ? i.name === name : name.test(i.name))),
  );
}

describe("real chat templates of popular families", () => {
  it("has the families the brief names", () => {
    const names = POPULAR_CHAT_TEMPLATES.map((t) => t.name).join("\n");
    for (const family of [/Llama-2/, /Llama-3\.1/, /Mistral-7B/, /Mixtral/, /gemma-7b/, /gemma-2/, /Qwen2\.5/, /Phi-3/, /OpenHermes/, /zephyr/, /deepseek/i, /command-r-plus-tool_use/]) {
      expect(names).toMatch(family);
    }
  });

  it.each(POPULAR_CHAT_TEMPLATES.map((t) => [t.name, t.template] as const))("%s parses and is clean", (_name, template) => {
    const audit = auditTemplate(template);
    expect(audit.error).toBeUndefined();
    expect(audit.parsed).toBe(true);
    expect(audit.incomplete).toBeUndefined();
    expect(audit.issues.filter((i) => AT_LEAST_MEDIUM.has(i.severity)).map((i) => i.message)).toEqual([]);
  });
});

describe("SSTI payloads", () => {
  it("CVE-2024-34359 (Llama Drama): the template the advisory quotes is critical although the subset parser rejects `()`", () => {
    const t =
      "{% for x in ().__class__.__base__.__subclasses__() %}{% if \"warning\" in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen(\"echo pwned\").read()}}{%endif%}{% endfor %}";
    const audit = auditTemplate(t);
    expect(audit.parsed).toBe(false);
    expect(audit.tokenized).toBe(true);
    expect(has(audit, "unparsable", "medium")).toBe(true);
    expect(has(audit, "sandbox-escape", "critical", "__subclasses__")).toBe(true);
    expect(has(audit, "sandbox-escape", "critical", "__import__")).toBe(true);
    expect(has(audit, "private-attribute", "high", "_module")).toBe(true);
    expect(has(audit, "dangerous-name", "high", "popen")).toBe(true);
  });

  it.each([
    ["self → __globals__", "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('echo hi').read() }}", "__globals__"],
    ["cycler", "{{ cycler.__init__.__globals__.os.popen('echo hi').read() }}", "__init__"],
    ["joiner", "{{ joiner.__init__.__globals__ }}", "__globals__"],
    ["namespace", "{{ namespace.__init__.__globals__ }}", "__init__"],
    ["item access", "{{ messages['__class__'] }}", "__class__"],
    ["hex escapes", "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}", "__class__"],
    ["unicode escapes", "{{ ''|attr('\\u005f\\u005fclass\\u005f\\u005f') }}", "__class__"],
    ["~ concatenation", "{{ messages|attr('__cla' ~ 'ss__') }}", "__class__"],
    ["+ concatenation in an item", "{{ messages['__mr' + 'o__'] }}", "__mro__"],
    ["|format", "{{ messages|attr('%c%cclass%c%c'|format(95,95,95,95)) }}", "__class__"],
    ["% formatting", "{{ messages|attr('%s%s%s' % ('__', 'base', '__')) }}", "__base__"],
    ["dict(...)|join", "{{ messages|attr(dict(__cla=1, ss__=2)|join) }}", "__class__"],
    ["list|join", "{{ messages|attr(['__sub', 'classes__']|join) }}", "__subclasses__"],
    ["str.join", "{{ messages|attr(''.join(['__glo', 'bals__'])) }}", "__globals__"],
    ["reversed slice", "{{ messages['__ssalc__'[::-1]] }}", "__class__"],
    ["|reverse", "{{ messages|attr('__ssalc__'|reverse) }}", "__class__"],
    ["|replace", "{{ messages|attr('XXclassXX'|replace('X', '_')) }}", "__class__"],
    ["{% set %} chain", "{% set a = '__glo' %}{% set b = a ~ 'bals__' %}{{ lipsum|attr(b) }}", "__globals__"],
    ["format field", "{{ '{0.__class__.__base__}'.format(messages) }}", "{0.__class__.__base__}"],
  ])("%s is critical", (_name, template, name) => {
    const audit = auditTemplate(template);
    expect(audit.parsed, audit.error).toBe(true);
    expect(kinds(audit)).toContain("sandbox-escape:critical");
    expect(has(audit, "sandbox-escape", "critical", name)).toBe(true);
  });

  it("attributes of Jinja globals are high even without a dunder", () => {
    const audit = auditTemplate("{{ lipsum.x }}{{ range.y }}");
    expect(has(audit, "sandbox-escape", "high", "lipsum")).toBe(true);
    expect(has(audit, "sandbox-escape", "high", "range")).toBe(true);
  });

  it("a local variable named like a global is not a global", () => {
    const audit = auditTemplate("{% for range in messages %}{{ range.content }}{% endfor %}");
    expect(audit.issues).toEqual([]);
  });

  it("private attributes and computed attr names are high", () => {
    const audit = auditTemplate("{{ messages._secret }}{{ messages|attr(name) }}");
    expect(has(audit, "private-attribute", "high", "_secret")).toBe(true);
    expect(has(audit, "dynamic-attribute", "high")).toBe(true);
  });

  it("code-execution names as variables, attributes or keys are high", () => {
    const audit = auditTemplate("{{ os.popen('echo hi') }}{{ messages['subprocess'] }}{{ eval('1') }}");
    expect(has(audit, "dangerous-name", "high", "os")).toBe(true);
    expect(has(audit, "dangerous-name", "high", "popen")).toBe(true);
    expect(has(audit, "dangerous-name", "high", "subprocess")).toBe(true);
    expect(has(audit, "dangerous-name", "high", "eval")).toBe(true);
  });

  it("strings built into code-execution names are high", () => {
    const audit = auditTemplate("{% set p = 'po' ~ 'pen' %}{{ p }}{{ ['o', 's']|join }}");
    expect(has(audit, "obfuscated-name", "high", "popen")).toBe(true);
    expect(has(audit, "obfuscated-name", "high", "os")).toBe(true);
  });

  it("{% import %} is judged from tokens: unparsable and loading", () => {
    const audit = auditTemplate("{% import 'os' as os %}{{ os.system('echo hi') }}");
    expect(audit.parsed).toBe(false);
    expect(has(audit, "unparsable", "medium")).toBe(true);
    expect(has(audit, "loading-statement", "high", "import")).toBe(true);
    expect(has(audit, "dangerous-name", "high", "system")).toBe(true);
  });

  it("unknown filters and methods are low (allow-first), nothing more", () => {
    const audit = auditTemplate("{{ messages|shuffle }}{{ messages[0].content.expandtabs() }}{% if x is prime %}{% endif %}");
    expect(kinds(audit).sort()).toEqual(["unknown-call:low", "unknown-call:low", "unknown-call:low"]);
  });

  it("a plain string mentioning a dunder is low", () => {
    const audit = auditTemplate("{{ 'Python objects have __init__ methods' }}");
    expect(kinds(audit)).toEqual(["suspicious-string:low"]);
  });

  it("repeats fold into one issue with a count", () => {
    const audit = auditTemplate("{{ a.__class__ }}{{ b.__class__ }}{{ c.__class__ }}");
    const escape = audit.issues.filter((i) => i.kind === "sandbox-escape");
    expect(escape).toHaveLength(1);
    expect(escape[0]?.occurrences).toBe(3);
  });
});

describe("bounds and failures", () => {
  it("a template that cannot be tokenized is unparsable and incomplete", () => {
    const audit = auditTemplate("{{ 'never closed }}");
    expect(audit.tokenized).toBe(false);
    expect(has(audit, "unparsable", "medium")).toBe(true);
    expect(audit.incomplete).toMatch(/not tokenized/);
  });

  it("a template over the size limit is not audited and says so", () => {
    const audit = auditTemplate("{{ x }}".repeat(100), { maxChars: 50 });
    expect(audit.parsed).toBe(false);
    expect(audit.incomplete).toMatch(/limit 50/);
    expect(has(audit, "unparsable", "medium", "size")).toBe(true);
  });

  it("nesting past the walk limit is incomplete, not silently skipped", () => {
    const deep = "{{ x" + ".a".repeat(50) + " }}";
    const audit = auditTemplate(deep, { maxDepth: 10 });
    expect(audit.incomplete).toMatch(/deeper than 10/);
  });

  it("absurd nesting that overflows the parser is unparsable, never a crash", () => {
    const deep = "{{ " + "(".repeat(20000) + "x" + ")".repeat(20000) + " }}";
    const audit = auditTemplate(deep);
    expect(audit.parsed).toBe(false);
    expect(has(audit, "unparsable", "medium")).toBe(true);
  });
});
