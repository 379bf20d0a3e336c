/**
 * Python 2 → 3 name mapping that CPython's unpickler applies to GLOBAL/INST/
 * STACK_GLOBAL when the stream's protocol is below 3 and `fix_imports` is on
 * (the default). Subset of `Lib/_compat_pickle.py` that matters for policy:
 * py3 pickles at protocol 0–2 name builtins `__builtin__`, and old names like
 * `commands` or `httplib` must be judged as what they load.
 * https://github.com/python/cpython/blob/main/Lib/_compat_pickle.py
 */
const IMPORT_MAPPING: Record<string, string> = {
  __builtin__: "builtins",
  copy_reg: "copyreg",
  Queue: "queue",
  SocketServer: "socketserver",
  ConfigParser: "configparser",
  repr: "reprlib",
  cPickle: "pickle",
  _elementtree: "xml.etree.ElementTree",
  xmlrpclib: "xmlrpc.client",
  httplib: "http.client",
  htmlentitydefs: "html.entities",
  HTMLParser: "html.parser",
  Cookie: "http.cookies",
  cookielib: "http.cookiejar",
  BaseHTTPServer: "http.server",
  SimpleHTTPServer: "http.server",
  CGIHTTPServer: "http.server",
  commands: "subprocess",
  urlparse: "urllib.parse",
  robotparser: "urllib.robotparser",
  urllib2: "urllib.request",
  anydbm: "dbm",
  _abcoll: "collections.abc",
  cStringIO: "io",
  StringIO: "io",
  thread: "_thread",
  dummy_thread: "_dummy_thread",
  UserDict: "collections",
  UserList: "collections",
  UserString: "collections",
  whichdb: "dbm",
  exceptions: "builtins",
  md5: "hashlib",
  sha: "hashlib",
};

const NAME_MAPPING: Record<string, [string, string]> = {
  "__builtin__.xrange": ["builtins", "range"],
  "__builtin__.reduce": ["functools", "reduce"],
  "__builtin__.intern": ["sys", "intern"],
  "__builtin__.unichr": ["builtins", "chr"],
  "__builtin__.unicode": ["builtins", "str"],
  "__builtin__.long": ["builtins", "int"],
  "__builtin__.basestring": ["builtins", "str"],
  "itertools.izip": ["builtins", "zip"],
  "itertools.imap": ["builtins", "map"],
  "itertools.ifilter": ["builtins", "filter"],
  "urllib.urlopen": ["urllib.request", "urlopen"],
  "urllib.urlretrieve": ["urllib.request", "urlretrieve"],
  "urllib.quote": ["urllib.parse", "quote"],
  "urllib.unquote": ["urllib.parse", "unquote"],
  "urllib.urlencode": ["urllib.parse", "urlencode"],
  "urllib2.urlopen": ["urllib.request", "urlopen"],
  "_socket.fromfd": ["socket", "fromfd"],
};

/** The (module, name) the unpickler looks up for a protocol < 3 stream. */
export function mapPython2Name(module: string, name: string): [string, string] {
  const byName = NAME_MAPPING[`${module}.${name}`];
  if (byName) return byName;
  const mapped = IMPORT_MAPPING[module];
  return mapped ? [mapped, name] : [module, name];
}
