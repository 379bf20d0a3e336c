import { stringLiteralPrefix, type ImportBindings } from "./python-names.js";
import type { PythonNode } from "./python-parser.js";

/** Calls whose result is content or a file fetched from the network (qualified names). */
const FETCH_CALLS = new Set([
  "requests.get", "requests.post", "requests.request", "requests.api.get", "httpx.get", "httpx.post", "httpx.request", "httpx.stream",
  "urllib.request.urlopen", "urllib.request.urlretrieve", "urllib.urlretrieve", "wget.download", "gdown.download",
  "huggingface_hub.hf_hub_download", "huggingface_hub.snapshot_download", "huggingface_hub.cached_download", "huggingface_hub.hf_hub_url",
  "keras.utils.get_file", "keras.utils.data_utils.get_file", "torch.hub.download_url_to_file", "torch.hub.load_state_dict_from_url",
  "fsspec.open", "smart_open.open",
]);
/** Names distinctive enough to be a fetch even when their import is not seen (a notebook cell run without its imports). */
const FETCH_NAMES = new Set(["urlopen", "urlretrieve", "hf_hub_download", "snapshot_download", "cached_download", "download_url_to_file"]);
const URL_PREFIX = /^(?:https?|ftp|s3|gs|hf|az|abfss?):\/\//i;
/**
 * Text without which a program holds no fetched value (no fetch call, no URL): the cross-function flow is not
 * worked out for it. Deliberately loose (any `download`, any `://`).
 */
export const MAY_FETCH = /requests|urllib|urlopen|urlretrieve|httpx|download|get_file|load_url|load_state_dict_from_url|fsspec|smart_open|:\/\//;

/** Where a value came from: content fetched by a call, or a URL written in the code. */
export interface Fetched {
  /** `content`: the result of a fetch call (code or bytes from the network); `url`: a URL literal (a remote path). */
  kind: "content" | "url";
  /** How, for the message: `requests.get`, `a URL (host x.test)`, `variable r (requests.get)`. */
  via: string;
  /** Host of a URL literal, never the whole URL (it may carry a token). */
  host?: string;
}

/**
 * What the rest of the program says about values a single pass in document order cannot see: calls of the
 * program's own functions that return fetched values, and names read in a function that are its parameters
 * (given fetched values by a caller) or module-level variables bound to fetched values (see `ProgramFlow`).
 */
export interface FlowFacts {
  /** What a call of one of the program's functions returns, when that is fetched content or a remote path. */
  returnOf(call: PythonNode): Fetched | undefined;
  /** A name read inside a function that no assignment before it in document order binds. */
  nameOf(identifier: PythonNode): Fetched | undefined;
  /** `self.<attribute>` read in a method, when a method of the same class assigns it a fetched value. */
  attributeOf(attribute: PythonNode): Fetched | undefined;
}

/**
 * Names bound to fetched values by assignments (`r = requests.get(u)`,
 * `path = hf_hub_download(...)`, `with urlopen(u) as f`), in document order
 * across the units of a program: a later assignment of something else unbinds
 * the name. Names are not scoped (a heuristic: functions reusing a name may
 * inherit it), which errs toward reporting.
 */
export class FetchedNames {
  private readonly names = new Map<string, Fetched>();

  constructor(
    private readonly bindings: ImportBindings,
    private readonly flow?: FlowFacts,
  ) {}

  /**
   * Updates the bindings for an `assignment`, `augmented_assignment`, `named_expression` or `with_item` node.
   * Returns the target expressions it binds (names, and attributes such as `self.path`) with the fetched value
   * they now hold, or undefined.
   */
  bind(node: PythonNode): [PythonNode, Fetched | undefined][] {
    let targets: PythonNode | null = null;
    let value: PythonNode | null = null;
    if (node.type === "assignment" || node.type === "augmented_assignment") {
      targets = node.childForFieldName("left");
      value = node.childForFieldName("right");
    } else if (node.type === "named_expression") {
      targets = node.childForFieldName("name");
      value = node.childForFieldName("value");
    } else if (node.type === "with_item") {
      const as = node.childForFieldName("value");
      if (as?.type !== "as_pattern") return;
      value = as.namedChildren[0] ?? null;
      targets = as.childForFieldName("alias");
    }
    if (!targets || !value) return [];
    const fetched = this.fetched(value, true);
    const out: [PythonNode, Fetched | undefined][] = [];
    for (const target of targetsOf(targets)) {
      if (target.type !== "identifier") {
        out.push([target, fetched && { ...fetched, via: `${target.text.slice(0, 60)} (${fetched.via})` }]);
        continue;
      }
      const name = target.text;
      if (fetched && node.type !== "augmented_assignment") this.names.set(name, { ...fetched, via: `variable ${name} (${fetched.via})` });
      else if (fetched) this.names.set(name, fetched);
      else if (node.type !== "augmented_assignment") this.names.delete(name);
      out.push([target, this.names.get(name)]);
    }
    return out;
  }

  /**
   * Whether an expression holds fetched content or a remote path: a fetch
   * call, a URL literal (when `urls`), or a name bound to one, anywhere in it
   * (`io.BytesIO(requests.get(u).content)`, `r.text`, `json.loads(r.text)["code"]`).
   */
  fetched(node: PythonNode, urls: boolean): Fetched | undefined {
    const stack: PythonNode[] = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      switch (n.type) {
        case "call": {
          const fn = n.childForFieldName("function");
          const names = this.bindings.qualify(fn);
          const hit = names.find((q) => FETCH_CALLS.has(q)) ?? (fn && FETCH_NAMES.has(lastName(fn)) ? lastName(fn) : undefined);
          if (hit) return { kind: "content", via: hit };
          const returned = this.flow?.returnOf(n);
          if (returned && (urls || returned.kind === "content")) return returned;
          break;
        }
        case "identifier": {
          const bound = this.names.get(n.text) ?? this.flow?.nameOf(n);
          if (bound && (urls || bound.kind === "content")) return bound;
          break;
        }
        case "attribute": {
          const held = this.flow?.attributeOf(n);
          if (held && (urls || held.kind === "content")) return held;
          break;
        }
        case "string":
        case "concatenated_string": {
          const prefix = urls ? stringLiteralPrefix(n) : undefined;
          if (prefix && URL_PREFIX.test(prefix)) {
            const host = /^[a-z]+:\/\/(?:[^@/]*@)?([^/:?#]+)/i.exec(prefix)?.[1];
            return { kind: "url", via: host ? `a URL (host ${host})` : "a URL", ...(host ? { host } : {}) };
          }
          break; // interpolations of an f-string may name fetched values
        }
        case "lambda":
        case "function_definition":
          continue; // a function that fetches is not a fetched value
      }
      for (let i = n.namedChildCount - 1; i >= 0; i--) {
        const c = n.namedChild(i);
        if (c) stack.push(c);
      }
    }
    return undefined;
  }
}

/** The last part of a dotted name (`hf_hub_download` of `huggingface_hub.hf_hub_download`). */
export function lastName(node: PythonNode): string {
  if (node.type === "identifier") return node.text;
  if (node.type === "attribute") return node.childForFieldName("attribute")?.text ?? "";
  return "";
}

/** What an assignment target binds: plain names (`a`, `a, _`, `(a, b)`, `[a, *rest]`) and attributes (`self.path`); subscripts bind none. */
function targetsOf(target: PythonNode): PythonNode[] {
  if (target.type === "identifier" || target.type === "attribute") return [target];
  if (["pattern_list", "tuple_pattern", "list_pattern", "as_pattern_target", "list_splat_pattern", "parenthesized_expression", "expression_list", "tuple", "list"].includes(target.type)) {
    return target.namedChildren.flatMap((c) => (c ? targetsOf(c) : []));
  }
  return [];
}
