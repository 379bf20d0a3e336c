import type { AnalyzerContext, ByteSource, ImportSafety } from "@modelward/core";
import { judgeCalls } from "./call-judge.js";
import { checkCallShapes } from "./call-shape-check.js";
import { checkCarriedCode } from "./carried-code-check.js";
import { ATTACK_LIMITS, CallSemantics, PicklePolicy, matchesCallShape, type EmbeddedPickle, type GlobalRecord, type PickleRunResult, type PolicyVerdict } from "@modelward/pickle";
import { embeddedIsPickle } from "./embedded-check.js";
import { limitsFrom } from "./options.js";
import { RULES } from "./rules.js";

// Compiled policies by the policy data they came from. Compiling is the costliest step of a small
// pickle's analysis, and every file of a scan gets the same rulesets' data, so a process compiles
// once per ruleset combination. Keyed by the identity of each piece of data, not of the array
// holding them: an engine may hand a fresh array per file.
interface Cache<T> { data: readonly unknown[]; value: T }
const POLICIES: Cache<PicklePolicy>[] = [];
const SEMANTICS: Cache<CallSemantics>[] = [];
const MAX_CACHED = 8;

function compiled<T>(cache: Cache<T>[], data: readonly unknown[], make: (data: readonly unknown[]) => T): T {
  const hit = cache.find((c) => c.data.length === data.length && c.data.every((d, i) => d === data[i]));
  if (hit) return hit.value;
  const value = make(data);
  if (cache.length === MAX_CACHED) cache.shift();
  cache.push({ data: [...data], value });
  return value;
}

/** The merged pickle policy of every loaded ruleset (baseline-only when none is loaded). */
export function policyFor(ctx: AnalyzerContext<unknown>): PicklePolicy {
  const data = ctx.policies("pickle");
  const p = compiled(POLICIES, data, (d) => PicklePolicy.fromData(d));
  for (const problem of p.problems) ctx.incomplete(`pickle policy ${problem.where} ignored: ${problem.message}`);
  if (data.length === 0) ctx.incomplete("no pickle policy loaded (add @modelward/ruleset-default): every global except plain builtins is reported as unknown");
  return p;
}

/** The merged call semantics (`pickle-calls` policy data) of every loaded ruleset. */
export function semanticsFor(ctx: AnalyzerContext<unknown>): CallSemantics {
  const s = compiled(SEMANTICS, ctx.policies("pickle-calls"), (d) => CallSemantics.fromData(d));
  for (const problem of s.problems) ctx.incomplete(`pickle call semantics ${problem.where} ignored: ${problem.message}`);
  return s;
}

// Most findings of one kind per file; the rest are summarised in the last one.
const MAX_FINDINGS_PER_RULE = 50;
// Embedded pickles handed to the engine per file, and the largest one.
const MAX_EMBEDDED = 32;
// Distinct imports recorded per run: a model has a few hundred; a flood is summarised, not listed.
const MAX_IMPORTS = 2000;
// Distinct globals one run may import before the run is a flood: a large model imports a few hundred.
const MAX_DISTINCT_GLOBALS = 4096;

/** Where the run came from, for messages. */
export interface RunContext {
  /** The bytes the VM ran over (for re-reading embedded pickles). */
  source: ByteSource;
  /** Prefix for messages, e.g. `in the embedded pickle of the .npy`. */
  where?: string;
  /**
   * A second view of bytes already reported (another loader's reading):
   * report only imports and calls, and only of globals not in `known`
   * whose names could be imported (bytes that are array data decode as junk).
   */
  codeOnly?: { known: ReadonlySet<string> };
}

const IMPORTABLE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function judge(policy: PicklePolicy, g: GlobalRecord): PolicyVerdict {
  const v = policy.evaluate(g.module, g.name);
  if (g.writtenModule && v.verdict !== "dangerous") {
    const w = policy.evaluate(g.writtenModule, g.name);
    if (w.verdict === "dangerous") return w;
  }
  return v;
}

const SAFETY: Record<PolicyVerdict["verdict"], ImportSafety> = { dangerous: "dangerous", unknown: "unknown", safe: "safe" };

/**
 * Turns a VM run into findings, import records and nested scans: one
 * finding per distinct global (with its first call rendered), one per error,
 * limit, expansion or differential, and every embedded pickle handed back to
 * the engine.
 */
export async function reportRun(ctx: AnalyzerContext<unknown>, policy: PicklePolicy, r: PickleRunResult, rc: RunContext): Promise<Set<string>> {
  const where = rc.where ? ` ${rc.where}` : "";
  const counts = new Map<string, number>();
  // Deduplicated here (the record keeps the first safety given for a name), and capped.
  const recorded = new Set<string>();
  let imports = 0;
  const recordImport: RecordImport = (imp) => {
    const key = `${imp.kind}\n${imp.name}`;
    if (recorded.has(key)) return;
    recorded.add(key);
    if (++imports <= MAX_IMPORTS) ctx.recordImport(imp);
  };
  const report = (ruleId: string, f: Omit<Parameters<AnalyzerContext["report"]>[0], "ruleId">): void => {
    const n = (counts.get(ruleId) ?? 0) + 1;
    counts.set(ruleId, n);
    if (n <= MAX_FINDINGS_PER_RULE) ctx.report({ ruleId, ...f });
  };

  // First call of each global, for the message.
  const firstCall = new Map<number, string>();
  const calledViaReduce = new Set<number>();
  for (const c of r.calls) {
    if (c.global === undefined) continue;
    if (c.kind !== "build" && !firstCall.has(c.global)) firstCall.set(c.global, c.expression);
    if (c.kind === "reduce" || c.kind === "obj" || c.kind === "inst" || c.kind === "planted") calledViaReduce.add(c.global);
  }
  // What calls call in turn: getattr/partial resolved, called arguments judged as calls.
  const j = judgeCalls(r, semanticsFor(ctx));

  const seen = new Map<string, number>();
  r.globals.forEach((g, i) => {
    const key = `${g.module}.${g.name}`;
    if (rc.codeOnly && (rc.codeOnly.known.has(key) || !g.resolved || !IMPORTABLE.test(g.module) || !IMPORTABLE.test(g.name))) return;
    if (seen.has(key)) {
      if (calledViaReduce.has(i)) calledViaReduce.add(seen.get(key)!);
      if (!firstCall.has(seen.get(key)!) && firstCall.has(i)) firstCall.set(seen.get(key)!, firstCall.get(i)!);
      return;
    }
    seen.set(key, i);
  });

  for (const [key, i] of seen) {
    const g = r.globals[i]!;
    if (!g.resolved) {
      recordImport({ kind: "global", name: key, safety: "unknown" });
      report(RULES.dynamicGlobal.id, {
        message: `imports a name computed at load time: STACK_GLOBAL(${g.module}, ${g.name}) at byte ${g.offset}${where}`,
        position: { byteOffset: g.offset },
        evidence: { module: g.module, name: g.name, opcode: g.opcode },
      });
      continue;
    }
    if (j.cleared.has(key)) {
      // Every use resolved statically (getattr(A, 'x'), partial(f, …)): judged below as what it resolves to.
      recordImport({ kind: "global", name: key, safety: "safe" });
      continue;
    }
    const v = judge(policy, g);
    recordImport({ kind: "global", name: key, safety: SAFETY[v.verdict] });
    const reached = j.reached.get(key);
    if (reached?.called) calledViaReduce.add(i);
    if (reached?.called && !firstCall.has(i)) firstCall.set(i, reached.chain);
    const call = firstCall.get(i);
    const what = call ? `calls ${call}` : `imports ${key}`;
    const evidence: Record<string, string | number | boolean> = { module: g.module, name: g.name, opcode: g.opcode, stream: g.stream };
    if (call) evidence.call = call;
    if (g.writtenModule) evidence.writtenModule = g.writtenModule;
    if (v.verdict === "dangerous") {
      report(RULES.dangerousGlobal.id, {
        message: `${what} at byte ${g.offset}${where}: ${v.entry.reason}`,
        severity: v.entry.severity,
        position: { byteOffset: g.offset },
        evidence: { ...evidence, family: v.entry.family, matched: v.matched },
        ...(v.entry.taxonomy ? { taxonomy: v.entry.taxonomy } : {}),
      });
    } else if (v.verdict === "unknown") {
      const called = calledViaReduce.has(i);
      report(called ? RULES.unknownCall.id : RULES.unknownGlobal.id, {
        message: `${what} at byte ${g.offset}${where}, which is not on the allowlist`,
        position: { byteOffset: g.offset },
        evidence,
      });
    }
  }

  if (seen.size > MAX_DISTINCT_GLOBALS) {
    // Thousands of distinct names are not a model: they are built to exhaust scanners (and the loader's imports).
    report(RULES.limitExceeded.id, {
      message: `imports ${seen.size} distinct globals${where}, past the ${MAX_DISTINCT_GLOBALS} a scan accepts (a large model imports a few hundred): a flood built to exhaust parsers`,
      severity: "high",
      evidence: { limit: "distinctGlobals", max: MAX_DISTINCT_GLOBALS, distinctGlobals: seen.size },
    });
  }

  // Globals reached only through getattr (A.x) or as called arguments' own targets.
  for (const [key, t] of j.reached) {
    if (seen.has(key)) continue;
    if (rc.codeOnly && (rc.codeOnly.known.has(key) || !IMPORTABLE.test(t.module) || !IMPORTABLE.test(t.name))) continue;
    const v = policy.evaluate(t.module, t.name);
    const verdict = t.instance || v.verdict === "safe" || !attributeOfAllowed(policy, t.module, t.name, t.called) ? v.verdict : "safe";
    recordImport({ kind: "global", name: key, safety: SAFETY[verdict] });
    const what = t.called ? (t.chain.includes(key) ? `calls ${t.chain}` : `calls ${key} through ${t.chain}`) : `looks up ${key} with ${t.chain}`;
    const evidence = { module: t.module, name: t.name, chain: t.chain };
    if (v.verdict === "dangerous" && verdict === "dangerous") {
      report(RULES.dangerousGlobal.id, {
        message: `${what} at byte ${t.offset}${where}: ${v.entry.reason}`,
        severity: v.entry.severity,
        position: { byteOffset: t.offset },
        evidence: { ...evidence, family: v.entry.family, matched: v.matched },
        ...(v.entry.taxonomy ? { taxonomy: v.entry.taxonomy } : {}),
      });
    } else if (verdict === "unknown") {
      report(t.called ? RULES.unknownCall.id : RULES.unknownGlobal.id, {
        message: `${what} at byte ${t.offset}${where}, which is not on the allowlist`,
        position: { byteOffset: t.offset },
        evidence,
      });
    }
  }
  for (const d of rc.codeOnly ? [] : j.dynamic) {
    report(RULES.dynamicCall.id, {
      message: `${d.chain} at byte ${d.offset}${where}: the callable is computed at load time`,
      position: { byteOffset: d.offset },
      evidence: { chain: d.chain },
    });
  }

  checkResolverCalls(recordImport, policy, r, where, report);
  checkCallShapes(policy, r, j, where, report);
  checkCarriedCode(policy, r, where, report);
  const judged = new Set([...seen.keys(), ...j.reached.keys()]);
  if (rc.codeOnly) return judged;

  for (const [index, c] of r.calls.entries()) {
    if (c.dynamic && c.kind !== "build" && !j.resolvedCalls.has(index)) {
      recordImport({ kind: "call", name: c.callee, safety: "unknown" });
      report(RULES.dynamicCall.id, {
        message: `calls ${c.expression} at byte ${c.offset}${where}: the callable is computed at load time`,
        position: { byteOffset: c.offset },
        evidence: { call: c.expression, kind: c.kind },
      });
    }
    if (c.onGlobal) {
      report(RULES.attributeOverride.id, {
        message: `sets attributes on ${c.callee} at byte ${c.offset}${where}: ${c.expression}`,
        position: { byteOffset: c.offset },
        evidence: { target: c.callee, call: c.expression },
      });
    }
  }

  for (const e of r.extensions) {
    report(RULES.extensionCode.id, { message: `fetches copyreg extension code ${e.code} at byte ${e.offset}${where}`, position: { byteOffset: e.offset }, evidence: { code: e.code } });
  }

  for (const e of r.errors) {
    const trailing = e.kind === "trailing-data";
    report(trailing ? RULES.trailingData.id : RULES.malformed.id, {
      message: `${trailing ? "" : "pickle stream is malformed: "}${e.message} at byte ${e.offset}${where}`,
      position: { byteOffset: e.offset },
      evidence: { kind: e.kind, stream: e.stream },
    });
  }
  if (r.droppedErrors > 0) ctx.incomplete(`${r.droppedErrors} more pickle errors not listed${where}`);

  for (const l of r.limitsHit) {
    if (l.limit === "source-changed") {
      report(RULES.limitExceeded.id, {
        message: `the file ended at byte ${l.offset} although its size is ${l.max}: it changed while it was read${where}`,
        position: { byteOffset: l.offset },
        evidence: { limit: l.limit, size: l.max },
      });
      ctx.incomplete(`file changed while read (ended at byte ${l.offset})${where}`);
      continue;
    }
    // A stream built to exhaust the parser (mark, memo, stack, object floods) is itself the finding.
    const attack = ATTACK_LIMITS.has(l.limit);
    report(RULES.limitExceeded.id, {
      message: `pickle analysis stopped at limit ${l.limit} (${l.max}) at byte ${l.offset}${where}; ${r.unanalysedBytes} bytes not analysed${attack ? ": no serializer writes such a stream, it is built to exhaust a parser" : ""}`,
      ...(attack ? { severity: "high" as const } : {}),
      position: { byteOffset: l.offset },
      evidence: { limit: l.limit, max: l.max, unanalysedBytes: r.unanalysedBytes },
    });
    ctx.incomplete(`pickle limit ${l.limit} reached at byte ${l.offset}${where}`);
  }
  if (r.hugeMemoIndex) {
    const { index, offset } = r.hugeMemoIndex;
    report(RULES.expansion.id, {
      message: `memo index ${index} at byte ${offset}${where}: CPython's unpickler resizes its memo to twice the index (${((index * 16) / 2 ** 30).toFixed(1)} GiB), a memory-exhaustion attack on the loader`,
      position: { byteOffset: offset },
      evidence: { memoIndex: index },
    });
  }
  if (r.droppedRecords > 0) ctx.incomplete(`${r.droppedRecords} globals/calls beyond the record limit not listed${where}`);
  if (imports > MAX_IMPORTS) ctx.incomplete(`${imports - MAX_IMPORTS} more imports not listed${where}`);

  const amplification = r.expansion.maxWeight / Math.max(1, r.expansion.bytes);
  if (r.expansion.maxWeight > 1e7 && amplification > 1000) {
    report(RULES.expansion.id, {
      message: `pickle builds a value of logical size ${r.expansion.maxWeight.toExponential(2)} from ${r.expansion.bytes} bytes (${r.expansion.gets} GETs, ${r.expansion.dups} DUPs, ${r.expansion.puts} PUTs)${where}`,
      evidence: { logicalSize: r.expansion.maxWeight, bytes: r.expansion.bytes, gets: r.expansion.gets, dups: r.expansion.dups, puts: r.expansion.puts },
    });
  }
  if (r.frameViolations > 0) {
    report(RULES.frameViolation.id, { message: `${r.frameViolations} opcode(s) straddle a FRAME boundary${where}`, evidence: { count: r.frameViolations } });
  }
  if (r.persistentIds > 0) report(RULES.persistentId.id, { message: `${r.persistentIds} persistent id(s)${where}: needs a loader-specific persistent_load`, evidence: { count: r.persistentIds } });
  if (r.outOfBandBuffers > 0) report(RULES.outOfBand.id, { message: `${r.outOfBandBuffers} out-of-band buffer(s)${where}`, evidence: { count: r.outOfBandBuffers } });

  for (const [ruleId, n] of counts) if (n > MAX_FINDINGS_PER_RULE) ctx.incomplete(`${n - MAX_FINDINGS_PER_RULE} more ${ruleId} findings folded${where}`);

  await scanEmbedded(ctx, policy, r, rc, where);
  return judged;
}

/**
 * True when `call` is an allowed loader called exactly as its library writes it (a policy entry
 * with `callShapes`, e.g. torch.storage._load_from_bytes(<bytes constant>)): its input is still
 * scanned as a nested artifact, and only that artifact's own findings speak.
 */
function auditedLoader(policy: PicklePolicy, r: PickleRunResult, call: PickleRunResult["calls"][number]): boolean {
  const g = call.global !== undefined ? r.globals[call.global] : undefined;
  if (!g) return false;
  const v = judge(policy, g);
  return v.verdict === "safe" && v.entry.callShapes !== undefined && matchesCallShape(v.entry.callShapes, call.args, call.kwargs);
}

async function scanEmbedded(ctx: AnalyzerContext<unknown>, policy: PicklePolicy, r: PickleRunResult, rc: RunContext, where: string): Promise<void> {
  let n = 0;
  let notPickles = 0;
  for (const e of r.embedded) {
    if (n >= MAX_EMBEDDED) {
      ctx.incomplete(`${r.embedded.length - MAX_EMBEDDED} more embedded pickles not scanned${where}`);
      break;
    }
    const loader = e.loaderCall !== undefined ? r.calls[e.loaderCall] : undefined;
    const at = e.offset >= 0 ? ` at byte ${e.offset}` : "";
    const bytes = await materialize(e, rc.source, ctx.limits.maxReadBytes);
    // Only a value the stream hands to a loader is unpickled whatever it holds; a value that merely
    // starts like a pickle (array data) and does not read as one is data, not a hidden pickle.
    if (bytes && !loader && !(await embeddedIsPickle(bytesArtifact("embedded", bytes), limitsFrom(ctx.options), ctx.signal))) {
      notPickles++;
      continue;
    }
    const audited = loader !== undefined && auditedLoader(policy, r, loader);
    ctx.report({
      ruleId: RULES.nestedPickle.id,
      severity: loader && !audited ? "high" : "low",
      message: audited
        ? `passes a ${e.encoding} pickle${at} to ${loader.callee}${where}, as its library writes it; scanned as a nested artifact`
        : loader
          ? `passes a ${e.encoding} pickle${at} to ${loader.callee}${where}; scanned as a nested artifact`
          : `holds a ${e.encoding}-encoded pickle${at}${where}; scanned as a nested artifact`,
      ...(e.offset >= 0 ? { position: { byteOffset: e.offset } } : {}),
      evidence: { encoding: e.encoding, length: e.length, ...(loader ? { loader: loader.callee } : {}) },
    });
    if (!bytes) {
      ctx.incomplete(`embedded pickle${at}${where} could not be decoded (${e.encoding})`);
      continue;
    }
    n++;
    await ctx.scanNested(bytesArtifact(`embedded-pickle@${e.offset >= 0 ? e.offset : `call${e.loaderCall}`}.pkl`, bytes));
  }
  if (notPickles > 0) {
    // Counted, so a reader of the report sees that such values were looked at and judged data.
    ctx.describe({ properties: { dataValuesStartingLikePickles: notPickles } });
  }
}

/** Decodes an embedded pickle to bytes (bounded by `max`), or undefined when it does not decode. */
export async function materialize(e: EmbeddedPickle, source: ByteSource, max: number): Promise<Uint8Array | undefined> {
  if (e.length > max) return undefined;
  let text = e.text;
  if (text === undefined) {
    if (e.offset < 0) return undefined;
    const raw = await source.read(e.offset, e.offset + e.length);
    if (!e.isStr && e.encoding === "raw") return raw;
    text = e.isStr ? new TextDecoder().decode(raw) : Buffer.from(raw).toString("latin1");
  }
  if (e.encoding === "base64") {
    const t = text.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return undefined;
    return new Uint8Array(Buffer.from(t, "base64"));
  }
  if (e.encoding === "hex") {
    const t = text.replace(/\s+/g, "");
    if (!/^([0-9a-fA-F]{2})*$/.test(t)) return undefined;
    return new Uint8Array(Buffer.from(t, "hex"));
  }
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** A nested artifact over bytes in memory. */
export function bytesArtifact(name: string, bytes: Uint8Array) {
  return {
    name,
    size: bytes.length,
    read: async (start: number, end: number) => bytes.slice(Math.max(0, start), Math.min(end, bytes.length)),
    async *stream(start = 0, end = bytes.length) {
      for (let at = start; at < Math.min(end, bytes.length); at += 1 << 20) yield bytes.slice(at, Math.min(at + (1 << 20), end, bytes.length));
    },
  };
}

/**
 * `A.x` reached through getattr on an allowed class (or module) `A`: looked
 * up (not called) with a public name, it is an Enum member, a constant, a
 * method object; called, only `A.__new__` is judged as `A` (`A.__new__(A,
 * …)` constructs A without `__init__`, as NEWOBJ does: Python writes it as
 * `partial(getattr(A, '__new__'))` for classes with keyword-only
 * `__getnewargs_ex__` below protocol 4). Any other call needs an exact
 * allow entry. A deny that names the attribute itself (`A.system`) still
 * wins; one that matches only `A`'s module (`http` for the audited
 * `http.HTTPStatus`) was already outranked by `A`'s own entry.
 */
function attributeOfAllowed(policy: PicklePolicy, module: string, name: string, called: boolean): boolean {
  const dot = name.lastIndexOf(".");
  if (dot < 0) return false;
  const attr = name.slice(dot + 1);
  if (called ? attr !== "__new__" : attr.startsWith("_")) return false;
  return policy.evaluateAttribute(module, name.slice(0, dot), attr).verdict === "safe";
}

type RecordImport = (imp: Parameters<AnalyzerContext["recordImport"]>[0]) => void;
type Report = (ruleId: string, f: Omit<Parameters<AnalyzerContext["report"]>[0], "ruleId">) => void;

/**
 * Calls of allowed name resolvers (`_ufunc_reconstruct('numpy', 'log1p')`) are
 * judged by the global they resolve to: a resolver is a trampoline
 * (`_ufunc_reconstruct('os', 'system')` is os.system), so it is safe only when
 * its target is, and a target computed at load time is reported.
 */
function checkResolverCalls(recordImport: RecordImport, policy: PicklePolicy, r: PickleRunResult, where: string, report: Report): void {
  for (const c of r.calls) {
    if (c.global === undefined || c.kind === "build") continue;
    const g = r.globals[c.global]!;
    const v = judge(policy, g);
    if (v.verdict !== "safe" || !v.entry.resolves) continue;
    const module = c.args[v.entry.resolves.module];
    const name = c.args[v.entry.resolves.name];
    if (typeof module !== "string" || typeof name !== "string") {
      recordImport({ kind: "global", name: `${g.module}.${g.name}(…)`, safety: "unknown" });
      report(RULES.dynamicGlobal.id, {
        message: `resolves a name computed at load time: ${c.expression} at byte ${c.offset}${where}`,
        position: { byteOffset: c.offset },
        evidence: { resolver: `${g.module}.${g.name}`, call: c.expression },
      });
      continue;
    }
    const target = policy.evaluate(module, name);
    recordImport({ kind: "global", name: `${module}.${name}`, safety: SAFETY[target.verdict] });
    const evidence = { resolver: `${g.module}.${g.name}`, module, name, call: c.expression };
    if (target.verdict === "dangerous") {
      report(RULES.dangerousGlobal.id, {
        message: `calls ${c.expression} at byte ${c.offset}${where}, which resolves to ${module}.${name}: ${target.entry.reason}`,
        severity: target.entry.severity,
        position: { byteOffset: c.offset },
        evidence: { ...evidence, family: target.entry.family, matched: target.matched },
        ...(target.entry.taxonomy ? { taxonomy: target.entry.taxonomy } : {}),
      });
    } else if (target.verdict === "unknown") {
      report(RULES.unknownCall.id, {
        message: `calls ${c.expression} at byte ${c.offset}${where}, which resolves to ${module}.${name}, not on the allowlist`,
        position: { byteOffset: c.offset },
        evidence,
      });
    }
  }
}
