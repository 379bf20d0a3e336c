import { pickle } from "@modelward/testing";
import { describe, expect, it } from "vitest";
import { findingsOf, scan, severityOf } from "./test-helpers.js";

// §3.3 of peers-and-threats.md: one pickle per denylist gap reported as a CVE/GHSA, plus one per
// denylist family of the issue. Each is `module.name('echo …')` via STACK_GLOBAL + REDUCE (harmless args).
const GADGETS: [string, string][] = [
  ["pip", "main"], ["ssl", "get_server_certificate"], ["linecache", "getline"], ["timeit", "timeit"],
  ["numpy.testing._private.utils", "runstring"], ["trace", "Trace.runctx"], ["trace", "Trace.run"],
  ["idlelib.calltip", "Calltip.fetch_tip"], ["idlelib.calltip", "get_entity"], ["code", "InteractiveInterpreter.runcode"],
  ["idlelib.pyshell", "ModifiedInterpreter.runcommand"], ["idlelib.pyshell", "ModifiedInterpreter.runcode"],
  ["cProfile", "runctx"], ["cProfile", "run"], ["profile", "run"], ["doctest", "debug_script"],
  ["lib2to3.pgen2.pgen", "ParserGenerator.make_label"], ["lib2to3.pgen2.grammar", "Grammar.loads"],
  ["asyncio.unix_events", "_UnixSubprocessTransport._start"], ["pty", "spawn"], ["pydoc", "locate"],
  ["operator", "methodcaller"], ["_operator", "methodcaller"], ["_operator", "attrgetter"],
  ["numpy.f2py.crackfortran", "myeval"], ["numpy.f2py.crackfortran", "getlincoef"], ["pkgutil", "resolve_name"],
  ["uuid", "_get_command_stdout"], ["_osx_support", "_read_output"], ["_osx_support", "_find_build_tool"],
  ["_aix_support", "_read_cmd_output"], ["imaplib", "IMAP4_stream"], ["_pyrepl.pager", "pipe_pager"],
  ["test.support.script_helper", "assert_python_ok"], ["ctypes", "CDLL"], ["distutils.file_util", "write_file"],
  ["torch.utils.bottleneck.__main__", "run_cprofile"], ["torch.utils.bottleneck.__main__", "run_autograd_prof"],
  ["torch._dynamo.guards", "GuardBuilder.get"], ["torch.fx.experimental.symbolic_shapes", "ShapeEnv.evaluate_guards_expression"],
  ["torch.utils.collect_env", "run"], ["torch.utils.collect_env", "run_and_read_all"],
  ["torch.utils.data.datapipes.utils.decoder", "basichandlers"], ["torch.jit.unsupported_tensor_ops", "execWrapper"],
  ["torch.utils._config_module", "ConfigModule.load_config"], ["torch._inductor.codecache", "compile_file"],
  ["torch.serialization", "load"], ["cloudpickle.cloudpickle", "_make_function"], ["cloudpickle.cloudpickle", "_builtin_type"],
  ["cloudpickle.cloudpickle", "subimport"], ["types", "CodeType"], ["_io", "FileIO"], ["logging", "FileHandler"],
  ["urllib.request", "urlopen"], ["venv", "create"], ["pydoc", "pipepager"], ["bdb", "Bdb.run"], ["runpy", "_run_code"],
  ["pickle", "loads"], ["importlib", "import_module"], ["marshal", "loads"], ["types", "FunctionType"], ["codecs", "open"],
  ["io", "open"], ["http.client", "HTTPSConnection"], ["multiprocessing.util", "spawnv_passfds"],
  ["mlflow.projects.backend.local", "_run_entry_point"], ["pandas.io.parsers.readers", "read_csv"],
  ["getpass", "getuser"], ["resource", "setrlimit"], ["syslog", "syslog"], ["lzma", "open"], ["bz2", "open"], ["gzip", "open"],
  ["py_compile", "compile"], ["weakref", "finalize"], ["atexit", "register"], ["mmap", "mmap"], ["dbm", "open"],
  ["xml.dom.minidom", "parse"], ["xml.etree.ElementTree", "parse"], ["http.server", "HTTPServer"], ["socketserver", "TCPServer"],
  ["glob", "glob"], ["nntplib", "NNTP"], ["site", "main"], ["_posixsubprocess", "fork_exec"], ["_interpreters", "run_string"],
  ["_xxsubinterpreters", "run_string"], ["gc", "get_objects"], ["inspect", "getsource"], ["builtins", "__import__"],
  // one per family
  ["os", "system"], ["posix", "system"], ["nt", "system"], ["subprocess", "Popen"], ["socket", "create_connection"],
  ["requests.api", "get"], ["shutil", "rmtree"], ["builtins", "open"], ["builtins", "eval"], ["builtins", "exec"],
  ["builtins", "getattr"], ["functools", "partial"], ["dill._dill", "_create_code"], ["joblib", "load"], ["sys", "exit"],
  ["webbrowser", "open"], ["tempfile", "mkstemp"], ["zipimport", "zipimporter"], ["torch.hub", "load"], ["yaml", "unsafe_load"],
];

describe("§3.3 denylist gaps and families", () => {
  it.each(GADGETS)("%s.%s is reported at high or critical", async (module, name) => {
    const r = await scan(pickle().proto(4).callStr(module, name, "echo gadget").stop().toBytes());
    const f = findingsOf(r).filter((x) => x.ruleId === "pickle/dangerous-global");
    expect(f.map((x) => severityOf(x)).some((s) => s === "high" || s === "critical"), JSON.stringify(findingsOf(r))).toBe(true);
    expect(f[0]!.message).toContain(`${module}.${name}('echo gadget')`);
  });
});
