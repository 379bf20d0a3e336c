import { HIGHEST_PROTOCOL, Op } from "./opcodes.js";
import { sniffEmbedded } from "./embedded.js";
import { render } from "./render.js";
import type { BuildAction } from "./run-options.js";
import {
  decodeLongBytes,
  decodeUtf8Lenient,
  decodeUtf8Strict,
  isArgError,
  parseFloatArg,
  parseIntArg,
  parseLongArg,
  parseMemoIndex,
  parseStringArg,
  parseUnicodeArg,
} from "./text-args.js";
import { KEEP_ITEMS, PLANTABLE, appendItems, isKind, makeDict, makeList, makeSet, makeTuple, setDictItems, unknown, weightOf, type PCall, type PickleValue } from "./values.js";
import { Fault, LimitStop, MAX_LONG_DECODE, VmCore, codes, plain, printable, KEEP_STRING } from "./vm-core.js";

/**
 * Opcode semantics of CPython's C unpickler (`load_*` in `Modules/_pickle.c`),
 * applied to symbolic values.
 */
export abstract class VmOps extends VmCore {
  // ---- opcodes ----

  // Opcodes with fixed-size arguments run synchronously: an async call per opcode would cost
  // more than the opcode itself (the 10M opcodes/s target).
  protected stepSync(op: number, at: number): boolean {
    switch (op) {
      case Op.SHORT_BINUNICODE: {
        // Fast path when the string is already buffered; otherwise the async path reads it.
        const n = this.buf[this.i];
        if (n === undefined || this.buf.length - this.i - 1 < n) return false;
        const offset = this.pos + 1;
        const s = decodeUtf8Lenient(this.buf.subarray(this.i + 1, this.i + 1 + n));
        this.i += 1 + n;
        if (n >= 8) {
          const enc = sniffEmbedded(codes(s), n, true);
          if (enc) this.embed({ offset, length: n, encoding: enc, isStr: true, text: s });
        }
        this.push(s);
        return true;
      }
      case Op.BININT1:
        this.need(1, at);
        this.push(this.buf[this.i++]!);
        return true;
      case Op.BININT2:
        this.need(2, at);
        this.push(this.buf[this.i]! | (this.buf[this.i + 1]! << 8));
        this.i += 2;
        return true;
      case Op.BININT:
        this.need(4, at);
        this.push(this.u32() | 0);
        return true;
      case Op.MARK:
        if (this.marks.length >= this.limits.maxMarks) throw new LimitStop("maxMarks", this.limits.maxMarks, at);
        this.marks.push(this.stack.length);
        this.fence = this.stack.length;
        return true;
      case Op.BINPUT:
        this.need(1, at);
        this.memoPut(this.buf[this.i++]!, at);
        return true;
      case Op.LONG_BINPUT:
        this.need(4, at);
        this.memoPut(this.u32(), at);
        return true;
      case Op.MEMOIZE:
        // MEMOIZE stores at memo_len, the number of entries, not the highest index (_pickle.c load_memoize).
        this.memoPut(this.memo.size, at);
        return true;
      case Op.BINGET:
        this.need(1, at);
        this.memoGet(this.buf[this.i++]!, at);
        return true;
      case Op.LONG_BINGET:
        this.need(4, at);
        this.memoGet(this.u32(), at);
        return true;
      case Op.NONE:
        this.push(null);
        return true;
      case Op.NEWTRUE:
        this.push(true);
        return true;
      case Op.NEWFALSE:
        this.push(false);
        return true;
      case Op.BINFLOAT: {
        this.need(8, at);
        const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.i, 8).getFloat64(0, false);
        this.i += 8;
        this.push({ kind: "float", value: v, weight: 1 });
        return true;
      }
      case Op.EMPTY_LIST:
        this.push(makeList([]));
        return true;
      case Op.EMPTY_DICT:
        this.push(makeDict());
        return true;
      case Op.EMPTY_TUPLE:
        this.push(makeTuple([]));
        return true;
      case Op.EMPTY_SET:
        this.push(makeSet(false));
        return true;
      case Op.APPEND: {
        const v = this.pop(at);
        const list = this.top(at);
        if (isKind(list, "list")) {
          appendItems(list, [v]);
          this.noteWeight(list.weight);
        } else this.methodCall(list, ["extend", "append"], [v], at);
        return true;
      }
      case Op.APPENDS: {
        const items = this.popMark(at);
        const list = this.top(at);
        if (isKind(list, "list")) {
          appendItems(list, items);
          this.noteWeight(list.weight);
        } else this.methodCall(list, ["extend", "append"], items, at);
        return true;
      }
      case Op.SETITEM: {
        const v = this.pop(at);
        const k = this.pop(at);
        const d = this.top(at);
        if (isKind(d, "dict")) {
          setDictItems(d, [k, v]);
          this.noteWeight(d.weight);
        } else this.methodCall(d, ["__setitem__"], [k, v], at);
        return true;
      }
      case Op.SETITEMS: {
        const items = this.popMark(at);
        const d = this.top(at);
        if (items.length % 2 !== 0) throw new Fault("bad-argument", "odd number of items for SETITEMS", at);
        if (isKind(d, "dict")) {
          setDictItems(d, items);
          this.noteWeight(d.weight);
        } else this.methodCall(d, ["__setitem__"], items.slice(0, 2), at);
        return true;
      }
      case Op.ADDITEMS: {
        const items = this.popMark(at);
        const s = this.top(at);
        if (isKind(s, "set")) {
          appendItems(s, items);
          this.noteWeight(s.weight);
        } else this.methodCall(s, ["add"], items, at);
        return true;
      }
      case Op.TUPLE1:
        this.push(makeTuple([this.pop(at)]));
        return true;
      case Op.TUPLE2: {
        const b = this.pop(at);
        const a = this.pop(at);
        this.push(makeTuple([a, b]));
        return true;
      }
      case Op.TUPLE3: {
        const c = this.pop(at);
        const b = this.pop(at);
        const a = this.pop(at);
        this.push(makeTuple([a, b, c]));
        return true;
      }
      case Op.TUPLE: {
        const t = makeTuple(this.popMark(at));
        this.noteWeight(t.weight);
        this.push(t);
        return true;
      }
      case Op.LIST: {
        const l = makeList(this.popMark(at));
        this.noteWeight(l.weight);
        this.push(l);
        return true;
      }
      case Op.DICT: {
        const items = this.popMark(at);
        if (items.length % 2 !== 0) throw new Fault("bad-argument", "odd number of items for DICT", at);
        const d = makeDict();
        setDictItems(d, items);
        this.noteWeight(d.weight);
        this.push(d);
        return true;
      }
      case Op.FROZENSET: {
        const items = this.popMark(at);
        const s = makeSet(true);
        appendItems(s, items);
        this.push(s);
        return true;
      }
      case Op.POP:
        // _pickle.c load_pop: a MARK on top of the stack is popped instead of an item.
        if (this.marks.length > 0 && this.marks[this.marks.length - 1] === this.stack.length) this.marker(at);
        else this.pop(at);
        return true;
      case Op.POP_MARK:
        this.popMark(at);
        return true;
      case Op.DUP:
        this.push(this.top(at));
        this.r.expansion.dups++;
        return true;
      case Op.PROTO: {
        this.need(1, at);
        const p = this.buf[this.i++]!;
        if (p > HIGHEST_PROTOCOL) throw new Fault("unsupported-protocol", `unsupported pickle protocol: ${p}`, at);
        this.proto = p;
        const s = this.r.streams[this.streamIndex]!;
        if (p > s.protocol) s.protocol = p;
        return true;
      }
      case Op.FRAME: {
        // C reads the whole frame up front and fails if it is not all there, but never
        // enforces that opcodes stay inside it (pickletools and the Python unpickler do).
        const n = this.size8(at, "FRAME");
        if (this.frameEnd >= 0 && this.pos < this.frameEnd) this.r.frameViolations++;
        this.frameEnd = n > 0 ? this.pos + n : -1;
        return true;
      }
      case Op.STACK_GLOBAL: {
        const name = this.pop(at);
        const module = this.pop(at);
        const known = (v: PickleValue): boolean => typeof v === "string" || isKind(v, "longstr") || isKind(v, "call") || isKind(v, "unknown") || isKind(v, "persistent") || isKind(v, "extension") || isKind(v, "global");
        if (!known(name) || !known(module)) throw new Fault("type-error", "STACK_GLOBAL requires str", at);
        if (typeof name === "string" && typeof module === "string") this.push(this.global(module, name, "STACK_GLOBAL", at, true));
        else this.push(this.global(plain(module), plain(name), "STACK_GLOBAL", at, false));
        return true;
      }
      case Op.OBJ: {
        const items = this.popMark(at);
        if (items.length < 1) throw new Fault("stack-underflow", "unpickling stack underflow", at);
        this.push(this.call("obj", items[0]!, items.slice(1), at));
        return true;
      }
      case Op.REDUCE: {
        const args = this.pop(at);
        const fn = this.pop(at);
        // torch.jit's unpickler builds a TorchScript enum with REDUCE on a bare value
        // (`__torch__.Mode` + `1`, torch/csrc/jit/serialization/unpickler.cpp); CPython refuses it.
        const torchEnum = isKind(fn, "global") && /^__torch__(\.|$)/.test(fn.module) && !isKind(args, "tuple");
        this.push(this.call("reduce", fn, torchEnum ? [args] : this.argList(args, at, "argument list must be a tuple"), at));
        return true;
      }
      case Op.NEWOBJ: {
        const args = this.pop(at);
        const cls = this.pop(at);
        this.push(this.call("newobj", cls, this.argList(args, at, "NEWOBJ expected an arg tuple."), at));
        return true;
      }
      case Op.NEWOBJ_EX: {
        const kwargs = this.pop(at);
        const args = this.pop(at);
        const cls = this.pop(at);
        if (kwargs !== null && typeof kwargs === "object" && !["dict", "call", "unknown", "persistent", "extension"].includes(kwargs.kind)) {
          throw new Fault("type-error", "NEWOBJ_EX kwargs must be a dict", at);
        }
        this.push(this.call("newobj_ex", cls, this.argList(args, at, "NEWOBJ_EX args argument must be a tuple"), at, kwargs));
        return true;
      }
      case Op.BUILD:
        this.build(at);
        return true;
      case Op.BINPERSID:
        this.persistent(this.pop(at), at);
        return true;
      case Op.EXT1:
      case Op.EXT2:
      case Op.EXT4: {
        const n = op === Op.EXT1 ? 1 : op === Op.EXT2 ? 2 : 4;
        this.need(n, at);
        const code = n === 1 ? this.buf[this.i]! : n === 2 ? this.buf[this.i]! | (this.buf[this.i + 1]! << 8) : (this.u32() | 0);
        if (n !== 4) this.i += n;
        if (code <= 0) throw new Fault("bad-argument", "EXT specifies code <= 0", at);
        this.r.extensions.push({ code, offset: at });
        this.push({ kind: "extension", code, offset: at, weight: 1 });
        return true;
      }
      case Op.NEXT_BUFFER:
        this.r.outOfBandBuffers++;
        this.push({ kind: "buffer", offset: at, readonly: false, weight: 1 });
        return true;
      case Op.READONLY_BUFFER:
        this.top(at);
        return true;

      default:
        return false;
    }
  }

  protected async step(op: number, at: number): Promise<void> {
    switch (op) {
      case Op.PUT: {
        const idx = parseMemoIndex(await this.line(at));
        if (isArgError(idx)) throw new Fault("bad-argument", idx.error, at);
        this.memoPut(idx, at);
        return;
      }
      case Op.GET: {
        const idx = parseMemoIndex(await this.line(at));
        if (isArgError(idx)) throw new Fault("bad-argument", idx.error, at);
        this.memoGet(idx, at);
        return;
      }
      case Op.SHORT_BINUNICODE:
        this.need(1, at);
        this.push(await this.strValue(this.buf[this.i++]!, at));
        return;
      case Op.BINUNICODE:
        this.need(4, at);
        this.push(await this.strValue(this.u32(), at));
        return;
      case Op.BINUNICODE8:
        this.push(await this.strValue(this.size8(at, "BINUNICODE8"), at));
        return;
      case Op.SHORT_BINBYTES:
        this.need(1, at);
        this.push(await this.bytesValue(this.buf[this.i++]!, at, "bytes"));
        return;
      case Op.BINBYTES:
        this.need(4, at);
        this.push(await this.bytesValue(this.u32(), at, "bytes"));
        return;
      case Op.BINBYTES8:
        this.push(await this.bytesValue(this.size8(at, "BINBYTES8"), at, "bytes"));
        return;
      case Op.BYTEARRAY8:
        this.push(await this.bytesValue(this.size8(at, "BYTEARRAY8"), at, "bytearray"));
        return;
      case Op.SHORT_BINSTRING:
        this.need(1, at);
        this.push(await this.binString(this.buf[this.i++]!, at));
        return;
      case Op.BINSTRING: {
        this.need(4, at);
        const n = this.u32() | 0;
        if (n < 0) throw new Fault("bad-argument", "BINSTRING pickle has negative byte count", at);
        this.push(await this.binString(n, at));
        return;
      }
      case Op.GLOBAL: {
        const m = decodeUtf8Strict(await this.line(at));
        if (isArgError(m)) throw new Fault("bad-argument", m.error, at);
        const n = decodeUtf8Strict(await this.line(at));
        if (isArgError(n)) throw new Fault("bad-argument", n.error, at);
        this.push(this.global(m, n, "GLOBAL", at, true));
        return;
      }
      case Op.INST: {
        // load_inst finds the MARK before reading its two lines.
        if (this.marks.length === 0) throw new Fault("stack-underflow", "could not find MARK", at);
        const m = decodeUtf8Strict(await this.line(at));
        if (isArgError(m)) throw new Fault("bad-argument", m.error, at);
        const n = decodeUtf8Strict(await this.line(at));
        if (isArgError(n)) throw new Fault("bad-argument", n.error, at);
        const args = this.popMark(at);
        const g = this.global(m, n, "INST", at, true);
        this.push(this.call("inst", g, args, at));
        return;
      }
      case Op.INT: {
        const v = parseIntArg(await this.line(at));
        if (isArgError(v)) throw new Fault("bad-argument", v.error, at);
        this.push(v);
        return;
      }
      case Op.LONG: {
        const v = parseLongArg(await this.line(at));
        if (isArgError(v)) throw new Fault("bad-argument", v.error, at);
        this.push(v);
        return;
      }
      case Op.FLOAT: {
        const v = parseFloatArg(await this.line(at));
        if (isArgError(v)) throw new Fault("bad-argument", v.error, at);
        this.push({ kind: "float", value: v, weight: 1 });
        return;
      }
      case Op.STRING: {
        const v = parseStringArg(await this.line(at));
        if (isArgError(v)) throw new Fault("bad-argument", v.error, at);
        this.push(v);
        return;
      }
      case Op.UNICODE: {
        const v = parseUnicodeArg(await this.line(at));
        if (isArgError(v)) throw new Fault("bad-argument", v.error, at);
        this.push(v);
        return;
      }
      case Op.LONG1: {
        this.need(1, at);
        const n = this.buf[this.i++]!;
        this.push(decodeLongBytes(await this.take(n, at)));
        return;
      }
      case Op.LONG4: {
        this.need(4, at);
        const n = this.u32() | 0;
        if (n < 0) throw new Fault("bad-argument", "LONG pickle has negative byte count", at);
        if (n <= MAX_LONG_DECODE) this.push(decodeLongBytes(await this.take(n, at)));
        else {
          this.skipRaw(n, at);
          this.push(unknown(`${n}-byte int`));
        }
        return;
      }
      case Op.PERSID: {
        const pid = decodeUtf8Strict(await this.line(at));
        if (isArgError(pid)) throw new Fault("bad-argument", "persistent IDs in protocol 0 must be ASCII strings", at);
        this.persistent(pid, at);
        return;
      }
      default:
        throw new Fault("invalid-opcode", `invalid load key, '${printable(op)}'.`, at);
    }
  }

  protected async binString(n: number, at: number): Promise<PickleValue> {
    // Decoded with the unpickler's `encoding` (ASCII by default): a str, like the other strings.
    if (n > KEEP_STRING) return this.strValue(n, at);
    const b = await this.take(n, at);
    let s = "";
    for (let k = 0; k < b.length; k++) s += String.fromCharCode(b[k]!);
    return s;
  }

  protected argList(args: PickleValue, at: number, message: string): PickleValue[] {
    if (isKind(args, "tuple")) return args.count > args.items.length ? [...args.items, unknown(`${args.count - args.items.length} more`)] : args.items;
    if (args !== null && typeof args === "object" && ["call", "unknown", "persistent", "extension", "global"].includes(args.kind)) return [unknown(`*${render(args, { maxLength: 60 })}`)];
    throw new Fault("type-error", message, at);
  }

  protected persistent(pid: PickleValue, at: number): void {
    this.r.persistentIds++;
    const replacement = this.o.persistentLoad?.(pid, at) ?? torchModuleClass(pid);
    this.push(replacement !== undefined ? replacement : { kind: "persistent", pid, offset: at, weight: weightOf(pid) + 1, mark: 0 });
  }

  protected build(at: number): void {
    const state = this.pop(at);
    const inst = this.top(at);
    if (isKind(inst, "call")) {
      const planted = inst.planted?.["__setstate__"];
      if (planted !== undefined) {
        // load_build looks __setstate__ up on the instance: a value an earlier BUILD put in its __dict__ wins.
        this.call("planted", planted, [state], at, undefined, "__setstate__");
      } else {
        inst.state = state;
        const c = this.call("build", inst.callee, [state], at);
        const rec = this.r.calls[c.index];
        if (rec) {
          rec.instance = inst;
          // The state as __setstate__ receives it now: a later SETITEM on the same (memoized) dict changes
          // the live value, not what already ran.
          if (isKind(state, "dict")) rec.args = [{ ...state, keys: state.keys.slice(), values: state.values.slice() }];
        }
      }
      plant(inst, state);
    } else if (isKind(inst, "global")) {
      // BUILD on a class or module object sets attributes on it (module attribute override).
      const c = this.call("build", inst, [state], at);
      const rec = this.r.calls[c.index];
      if (rec) rec.onGlobal = true;
    }
    const action: BuildAction | undefined = this.o.afterBuild?.(inst, state, at);
    if (!action) return;
    if ("error" in action) throw new Fault("bad-argument", action.error, at);
    if ("skip" in action) this.pendingReads.push({ skip: action.skip, padded: action.alignmentPadding === true });
    else this.pendingReads.push({ nested: true });
  }

  /**
   * APPEND/APPENDS/ADDITEMS/SETITEM(S) on something that is not a built-in
   * container call a method of it (`_pickle.c` looks `append`/`extend`/`add`
   * up on the object, so a planted instance attribute is what runs).
   */
  protected methodCall(target: PickleValue, methods: readonly string[], items: PickleValue[], at: number): void {
    if (!isKind(target, "call") && !isKind(target, "global") && !isKind(target, "extension")) return;
    const kept = items.length > KEEP_ITEMS ? items.slice(0, KEEP_ITEMS) : items;
    // Methods in the order _pickle.c looks them up (do_append: `extend`, and `append` only when the
    // object has no `extend`). A planted attribute surely exists, so the lookup stops there; the
    // class's own first method may or may not exist, so a later planted one may run instead (CPython
    // oracle regression: a planted `append` beside the class's own `extend`).
    const planted = (m: string) => (isKind(target, "call") ? target.planted?.[m] : undefined);
    const first = planted(methods[0]!);
    if (first !== undefined) {
      this.call("planted", first, kept, at, undefined, methods[0]);
      return;
    }
    this.call("method", target, kept, at, undefined, methods[0]);
    for (const m of methods.slice(1)) {
      const p = planted(m);
      if (p !== undefined) {
        this.call("planted", p, kept, at, undefined, m);
        return;
      }
    }
  }
}

// load_build without a __setstate__: the state dict (or state[0], and the slot state state[1])
// becomes instance attributes; remember those the unpickler itself calls later.
function plant(inst: PCall, state: PickleValue): void {
  const parts = isKind(state, "tuple") && state.items.length === 2 ? state.items : [state];
  for (const d of parts) {
    if (!isKind(d, "dict")) continue;
    d.keys.forEach((k, i) => {
      if (typeof k === "string" && PLANTABLE.has(k)) (inst.planted ??= {})[k] = d.values[i]!;
    });
  }
}

/**
 * The class of a legacy `torch.save` whole-module persistent id `('module', cls, source_file, source)`:
 * torch's `_legacy_load` persistent_load returns `cls` (after comparing the source, a warning only),
 * and no other loader gets past a persistent id. Judging `cls` judges what torch would call.
 */
function torchModuleClass(pid: PickleValue): PickleValue | undefined {
  if (!isKind(pid, "tuple") || pid.count !== 4 || pid.items.length !== 4 || pid.items[0] !== "module") return undefined;
  const cls = pid.items[1];
  return isKind(cls, "global") ? cls : undefined;
}
