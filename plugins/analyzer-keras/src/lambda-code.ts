import { checkValue } from "@modelward/plugin-kit";
import { readCodeUses } from "./code-uses.js";
import { MarshalError } from "./marshal-reader.js";
import { scanMarshalStrings } from "./marshal-strings.js";

/** What a Lambda's stored code was found to use. */
export interface CodeInspection {
  decoded: boolean;
  error?: string;
  /** Size of the marshalled code. */
  bytes: number;
  /** Python versions whose code object layout the data matched, when it was read as code. */
  pythonVersion?: string;
  /** Names, attributes and string constants the code uses, in order of appearance, deduplicated. */
  names: string[];
  /** Qualified names of the code objects read (the lambda and the functions nested in it). */
  functions?: string[];
  /** Bytes after the code object, which `marshal.loads` ignores. */
  trailingBytes?: number;
  /** The subset of `names` that are dangerous modules, builtins or calls. */
  dangerous: string[];
}

// Stored Lambda code is a few KB; a megabyte-scale blob is not a Lambda Keras wrote.
const MAX_CODE_BASE64 = 16 * 1024 * 1024;

// Names whose use in a Lambda means commands, code, files or network (builtins and modules).
const DANGEROUS_NAMES: ReadonlySet<string> = new Set([
  "os", "posix", "nt", "system", "popen", "spawn", "spawnl", "spawnv", "execv", "execve", "execl", "fork",
  "subprocess", "Popen", "call", "check_call", "check_output", "getoutput", "getstatusoutput",
  "eval", "exec", "compile", "open", "__import__", "builtins", "__builtins__", "globals", "breakpoint",
  "importlib", "import_module", "socket", "connect", "create_connection", "pty", "shutil", "rmtree",
  "remove", "unlink", "rmdir", "urllib", "urlopen", "urlretrieve", "request", "requests", "http", "webbrowser",
  "ctypes", "CDLL", "cdll", "pickle", "marshal", "loads", "runpy", "run_path", "run_module", "sys", "modules",
  "write_file", "read_file", "gfile", "GFile", "py_function", "numpy_function", "getattr", "setattr", "__class__",
  "__subclasses__", "__globals__", "__code__", "__reduce__", "codecs", "base64", "b64decode", "environ", "putenv",
]);

/**
 * Decodes a Lambda's stored function (base64 of `marshal.dumps(code)`, as
 * Keras' `func_dump` writes it) far enough to list what it uses. Never runs
 * or unmarshals anything into live objects.
 */
export function inspectCode(base64: string): CodeInspection {
  if (base64.length > MAX_CODE_BASE64) return { decoded: false, error: `${base64.length} characters of code, over the ${MAX_CODE_BASE64} bound`, bytes: 0, names: [], dangerous: [] };
  const compact = base64.replace(/[\s]/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.length === 0) {
    // Not func_dump output: Python source (`lambda x: eval(...)`) that loaders of this layout eval.
    const names = [...new Set(base64.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])].slice(0, 4096);
    return { decoded: false, error: "Python source text, not marshalled code", bytes: base64.length, names, dangerous: names.filter((n) => DANGEROUS_NAMES.has(n)) };
  }
  const bytes = new Uint8Array(Buffer.from(compact, "base64"));
  try {
    const uses = readCodeUses(bytes);
    const constants = uses.strings.filter((c) => IDENTIFIER_PATH.test(c));
    const dangerous = [...uses.names.filter((n) => DANGEROUS_NAMES.has(n))];
    for (const c of constants) if (c.split(".").some((part) => DANGEROUS_NAMES.has(part))) dangerous.push(`'${c}'`);
    for (const c of uses.strings) for (const hit of checkValue(c)) if (hit.kind === "code" || hit.kind === "shell") dangerous.push(`${hit.kind} in a constant (${hit.what})`);
    return {
      decoded: true,
      bytes: bytes.length,
      pythonVersion: uses.layout.replace("-", "–"),
      names: [...new Set([...uses.names, ...constants])],
      functions: uses.functions,
      trailingBytes: uses.trailingBytes,
      dangerous: [...new Set(dangerous)],
    };
  } catch (e) {
    if (!(e instanceof MarshalError)) throw e;
    // Not code CPython 3.8–3.13 would load: the names its strings spell are still judged.
    const names = scanMarshalStrings(bytes);
    return { decoded: false, error: `not a marshalled code object of Python 3.8–3.13: ${e.message} at byte ${e.offset}`, bytes: bytes.length, names, dangerous: names.filter((n) => DANGEROUS_NAMES.has(n)) };
  }
}

// A string constant that can name a module, function or attribute (`os`, `os.path`, `system`).
const IDENTIFIER_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
