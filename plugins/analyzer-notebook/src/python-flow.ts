import { FetchedNames, type Fetched, type FlowFacts } from "./python-fetch.js";
import type { ImportBindings } from "./python-names.js";
import { nodesOfTypes, type PythonNode, type PythonTree } from "./python-parser.js";

/**
 * Rounds of propagation between the program's functions. Each round carries fetched values one step further
 * (a download returned by `fetch()`, passed by `main()` to `load(path)`, …); three steps cover the helpers people
 * write, and the bound keeps a hostile file of mutually calling functions from costing more than three passes.
 */
const MAX_ROUNDS = 3;
/** Longest `via` kept in a message: chains through several functions say where they start and stop. */
const MAX_VIA = 160;

/** Nodes a scope's pass looks at, in document order. */
const EVENT_TYPES = new Set(["function_definition", "class_definition", "assignment", "augmented_assignment", "named_expression", "with_item", "return_statement", "call"]);
const BINDING_TYPES = new Set(["assignment", "augmented_assignment", "named_expression", "with_item"]);

/** One function of the program (a plain function, a nested one or a method). */
interface FunctionScope {
  key: string;
  name: string;
  /** Parameter names in order (`self` included for a method). */
  params: string[];
  /** Defined directly in a class body. */
  method: boolean;
  /** Key of the class a method is defined in. */
  classKey?: string;
  /** Assignments, returns and calls of the body (not of nested functions), with the unit they are in. */
  events: Event[];
  returns?: Fetched;
  fetchedParams: Map<string, Fetched>;
}

interface Event {
  unit: number;
  node: PythonNode;
}

/**
 * What a program's own functions do with fetched values, worked out before its checks: which functions return
 * fetched content or a remote path (`def fetch(): return hf_hub_download(…)`), which parameters callers give such
 * values (`load(hf_hub_download(…))` makes `path` of `def load(path)` remote), which module-level variables hold
 * them (read inside a function, whatever the order of definition), and which `self` attributes a method binds to
 * them. Names are matched as the single-pass check matches them (not scoped beyond this), and functions are
 * found by name: a plain call `f(…)` means the program's function `f`, `self.f(…)`/`cls.f(…)` a method `f`.
 * Bounded: {@link MAX_ROUNDS} passes over the assignments, returns and calls, never a fixpoint or recursion.
 */
export class ProgramFlow implements FlowFacts {
  private readonly functions = new Map<string, FunctionScope>();
  private readonly plainByName = new Map<string, FunctionScope[]>();
  private readonly methodsByName = new Map<string, FunctionScope[]>();
  private readonly moduleEvents: Event[] = [];
  private readonly moduleNames = new Map<string, Fetched>();
  /** `${classKey}.${attribute}` → the fetched value a method assigns to `self.<attribute>`. */
  private readonly attributes = new Map<string, Fetched>();
  /** Unit whose nodes are being looked at (node keys are per unit). */
  unit = 0;

  constructor(
    trees: readonly (PythonTree | undefined)[],
    private readonly bindings: ImportBindings,
  ) {
    trees.forEach((tree, unit) => tree && this.collect(tree, unit));
    if (this.functions.size === 0) return;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let changed = this.pass(this.moduleEvents, undefined);
      for (const fn of this.functions.values()) changed = this.pass(fn.events, fn) || changed;
      if (!changed) break;
    }
  }

  returnOf(call: PythonNode): Fetched | undefined {
    for (const fn of this.callees(call)) if (fn.returns) return fn.returns;
    return undefined;
  }

  nameOf(identifier: PythonNode): Fetched | undefined {
    let inFunction = false;
    for (let n = identifier.parent; n; n = n.parent) {
      if (n.type !== "function_definition") continue;
      inFunction = true;
      const param = this.functions.get(this.key(n))?.fetchedParams.get(identifier.text);
      if (param) return param;
    }
    // Module-level variables are read when the function runs, after the module's code: order does not matter.
    return inFunction ? this.moduleNames.get(identifier.text) : undefined;
  }

  attributeOf(attribute: PythonNode): Fetched | undefined {
    if (this.attributes.size === 0) return undefined;
    const key = this.selfAttributeKey(attribute);
    return key ? this.attributes.get(key) : undefined;
  }

  private key(node: PythonNode): string {
    return `${this.unit}:${node.startIndex}`;
  }

  /** Functions, methods and the events of each scope, in one walk of the tree. */
  private collect(tree: PythonTree, unit: number): void {
    this.unit = unit;
    const scopes: { end: number; fn: FunctionScope | undefined; classKey?: string }[] = [];
    for (const node of nodesOfTypes(tree, EVENT_TYPES)) {
      while (scopes.length > 0 && node.startIndex >= scopes[scopes.length - 1]!.end) scopes.pop();
      const top = scopes[scopes.length - 1];
      if (node.type === "function_definition") scopes.push({ end: node.endIndex, fn: this.define(node, top?.classKey) });
      else if (node.type === "class_definition") scopes.push({ end: node.endIndex, fn: top?.fn, classKey: this.key(node) });
      else (top?.fn ? top.fn.events : this.moduleEvents).push({ unit, node });
    }
  }

  /** Registers a function definition; `classKey` is set when it sits directly in a class body. */
  private define(node: PythonNode, classKey: string | undefined): FunctionScope {
    const name = node.childForFieldName("name")?.text ?? "";
    const params: string[] = [];
    for (const p of node.childForFieldName("parameters")?.namedChildren ?? []) {
      if (!p) continue;
      const id = p.type === "identifier" ? p : p.type === "typed_parameter" ? p.namedChildren[0] : p.childForFieldName("name");
      params.push(id?.type === "identifier" ? id.text : "");
    }
    const fn: FunctionScope = { key: this.key(node), name, params, method: classKey !== undefined, events: [], fetchedParams: new Map() };
    if (classKey !== undefined) fn.classKey = classKey;
    this.functions.set(fn.key, fn);
    const index = fn.method ? this.methodsByName : this.plainByName;
    index.set(name, [...(index.get(name) ?? []), fn]);
    return fn;
  }

  /** One pass over a scope's events; true when it learnt something new. */
  private pass(events: readonly Event[], fn: FunctionScope | undefined): boolean {
    let changed = false;
    const names = new FetchedNames(this.bindings, this);
    for (const { unit, node } of events) {
      this.unit = unit;
      if (node.type === "return_statement") {
        const value = node.namedChildren[0];
        const fetched = value && fn && !fn.returns ? names.fetched(value, true) : undefined;
        if (fetched && fn) {
          fn.returns = { ...fetched, via: short(`${fn.name}() returning ${fetched.via}`) };
          changed = true;
        }
      } else if (node.type === "call") changed = this.arguments(node, names) || changed;
      else if (BINDING_TYPES.has(node.type)) {
        for (const [target, fetched] of names.bind(node)) {
          if (!fetched) continue;
          if (target.type === "identifier" && !fn && !this.moduleNames.has(target.text)) {
            this.moduleNames.set(target.text, fetched);
            changed = true;
          } else if (target.type === "attribute") {
            const key = this.selfAttributeKey(target);
            if (key && !this.attributes.has(key)) {
              this.attributes.set(key, fetched);
              changed = true;
            }
          }
        }
      }
    }
    return changed;
  }

  /** Gives the parameters of the called function(s) the fetched values a call passes. */
  private arguments(call: PythonNode, names: FetchedNames): boolean {
    const callees = this.callees(call);
    if (callees.length === 0) return false;
    let changed = false;
    let position = 0;
    for (const arg of call.childForFieldName("arguments")?.namedChildren ?? []) {
      if (!arg || arg.type === "comment" || arg.type === "list_splat" || arg.type === "dictionary_splat") continue;
      const keyword = arg.type === "keyword_argument" ? arg.childForFieldName("name")?.text : undefined;
      const value = arg.type === "keyword_argument" ? arg.childForFieldName("value") : arg;
      const index = keyword === undefined ? position++ : -1;
      const fetched = value ? names.fetched(value, true) : undefined;
      if (!fetched) continue;
      for (const fn of callees) {
        const param = keyword ?? fn.params[index + (fn.method ? 1 : 0)];
        if (!param || fn.fetchedParams.has(param)) continue;
        fn.fetchedParams.set(param, { ...fetched, via: short(`parameter ${param} of ${fn.name}(), given ${fetched.via}`) });
        changed = true;
      }
    }
    return changed;
  }

  /** The program's functions a call may call: `f(…)` the plain functions named `f`, `self.f(…)`/`cls.f(…)` the methods. */
  private callees(call: PythonNode): FunctionScope[] {
    const fn = call.childForFieldName("function");
    if (fn?.type === "identifier") return this.plainByName.get(fn.text) ?? [];
    if (fn?.type === "attribute") {
      const object = fn.childForFieldName("object");
      const attr = fn.childForFieldName("attribute")?.text;
      if (attr && object?.type === "identifier" && (object.text === "self" || object.text === "cls")) return this.methodsByName.get(attr) ?? [];
    }
    return [];
  }

  /** `${classKey}.${attribute}` for `self.<attribute>` inside a method of a class, else undefined. */
  private selfAttributeKey(attribute: PythonNode): string | undefined {
    const object = attribute.childForFieldName("object");
    const attr = attribute.childForFieldName("attribute")?.text;
    if (object?.type !== "identifier" || object.text !== "self" || !attr) return undefined;
    for (let n = attribute.parent; n; n = n.parent) {
      if (n.type === "class_definition") return `${this.key(n)}.${attr}`;
    }
    return undefined;
  }
}

function short(via: string): string {
  return via.length > MAX_VIA ? `${via.slice(0, MAX_VIA - 1)}…` : via;
}
