/**
 * The name lists the template audit judges by. Allow-first: a filter, test,
 * method or free function not listed as known-safe is reported (low); the
 * dangerous lists raise it.
 */

/** Jinja globals that SSTI payloads climb from to reach Python's `__globals__`. */
export const ESCAPE_GLOBALS: ReadonlySet<string> = new Set([
  "self",
  "cycler",
  "joiner",
  "namespace",
  "lipsum",
  "range",
  "dict",
  "config",
  "request",
  "session",
  "g",
  "url_for",
  "get_flashed_messages",
]);

/**
 * Names of modules, builtins and methods that only code execution uses.
 * As a variable, an attribute or a constant key they are a finding (high).
 */
export const DANGEROUS_NAMES: ReadonlySet<string> = new Set([
  "os",
  "sys",
  "subprocess",
  "popen",
  "Popen",
  "system",
  "spawn",
  "spawnv",
  "execv",
  "execve",
  "check_output",
  "check_call",
  "getoutput",
  "eval",
  "exec",
  "compile",
  "import",
  "__import__",
  "import_module",
  "importlib",
  "builtins",
  "__builtins__",
  "globals",
  "locals",
  "getattr",
  "setattr",
  "delattr",
  "open",
  "pty",
  "socket",
  "shutil",
  "ctypes",
  "pickle",
  "marshal",
  "func_globals",
  "f_globals",
  "f_locals",
  "gi_frame",
  "cr_frame",
  "tb_frame",
  "co_code",
]);

/**
 * Attribute names that are safe as `x.name` even though they appear in
 * {@link DANGEROUS_NAMES}: none today; kept explicit so the decision is visible.
 */
export const DANGEROUS_ATTRIBUTE_EXCEPTIONS: ReadonlySet<string> = new Set<string>([]);

/** Filters of Jinja2 (and `@huggingface/jinja`) that only transform values. `attr` is judged apart. */
export const SAFE_FILTERS: ReadonlySet<string> = new Set([
  "abs", "batch", "capitalize", "center", "count", "default", "d", "dictsort", "escape", "e",
  "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int", "items",
  "join", "last", "length", "list", "lower", "map", "max", "min", "pprint", "random", "reject",
  "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort",
  "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode",
  "urlize", "wordcount", "wordwrap", "xmlattr", "strip", "lstrip", "rstrip",
]);

/** Tests (`x is …`) of Jinja2. */
export const SAFE_TESTS: ReadonlySet<string> = new Set([
  "defined", "undefined", "none", "string", "number", "mapping", "iterable", "sequence", "true",
  "false", "boolean", "integer", "float", "callable", "sameas", "eq", "equalto", "==", "ne", "!=",
  "lt", "lessthan", "<", "gt", "greaterthan", ">", "le", "<=", "ge", ">=", "in", "odd", "even",
  "divisibleby", "lower", "upper", "escaped", "filter", "test",
]);

/** Methods of str/list/dict that chat templates call and the sandbox allows. */
export const SAFE_METHODS: ReadonlySet<string> = new Set([
  "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith", "lower",
  "upper", "title", "capitalize", "replace", "find", "rfind", "index", "rindex", "count", "join",
  "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper", "format", "items", "keys",
  "values", "get", "append", "extend", "pop", "update", "copy", "removeprefix", "removesuffix",
  "partition", "rpartition", "zfill", "center", "ljust", "rjust", "casefold", "swapcase",
  "encode", "tojson", "strftime", "isoformat",
]);

/** Functions chat templates call by name (context helpers of transformers, Jinja globals). */
export const SAFE_FUNCTIONS: ReadonlySet<string> = new Set([
  "raise_exception", "range", "namespace", "dict", "strftime_now", "cycler", "joiner", "lipsum",
  "len", "zip", "enumerate", "list", "str", "int", "float", "bool", "max", "min",
]);

/** Statements `@huggingface/jinja` does not know but that fetch other templates or modules. */
export const LOADING_STATEMENTS: ReadonlySet<string> = new Set(["import", "from", "include", "extends"]);

/** True for `__name__`-shaped names. */
export function isDunder(name: string): boolean {
  return /^__[A-Za-z0-9_]+__$/.test(name);
}

/** True when a string contains a `__name__`-shaped word anywhere (e.g. `{0.__class__}`). */
export function containsDunder(text: string): boolean {
  return /__[A-Za-z][A-Za-z0-9_]*__/.test(text);
}

/** The Jinja sandbox refuses attributes starting with `_` (`is_safe_attribute`). */
export function isPrivateName(name: string): boolean {
  return name.startsWith("_");
}
