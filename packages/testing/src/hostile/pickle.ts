import { join } from "node:path";
import type { HostileCase, HostileSize } from "./hostile-case.js";
import { repeated, writeChunked } from "./write-stream.js";

const b = (...xs: number[]) => Uint8Array.from(xs);
const ascii = (s: string) => new TextEncoder().encode(s);
const pick = (size: HostileSize, small: number, full: number) => (size === "small" ? small : full);

/** Protocol 2 header, a NONE, `n` TUPLE1 (each wraps the top in a 1-tuple: n-deep nesting), STOP. */
function tupleChain(n: number) {
  return function* () {
    yield b(0x80, 0x02, 0x4e);
    yield* repeated(b(0x85), n);
    yield b(0x2e);
  };
}

/** Lists nested `n` deep through the memo: each new list gets the last one appended (LONG_BINGET), is memoized and popped. */
function memoNesting(n: number) {
  return function* () {
    yield b(0x80, 0x02, 0x5d, 0x71, 0x00, 0x30); // PROTO 2, EMPTY_LIST, BINPUT 0, POP
    const unit = 13; // EMPTY_LIST, LONG_BINGET i-1, APPEND, LONG_BINPUT i, POP
    for (let first = 1; first < n; first += 65_536) {
      const count = Math.min(65_536, n - first);
      const block = new Uint8Array(count * unit);
      const view = new DataView(block.buffer);
      for (let k = 0; k < count; k++) {
        const o = k * unit;
        block.set([0x5d, 0x6a], o);
        view.setUint32(o + 2, first + k - 1, true);
        block.set([0x61, 0x72], o + 6);
        view.setUint32(o + 8, first + k, true);
        block[o + 12] = 0x30;
      }
      yield block;
    }
    yield b(0x6a, ...u32le(n - 1), 0x2e); // LONG_BINGET n-1, STOP
  };
}

const u32le = (x: number) => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24];

/** A list of `n` distinct globals (GLOBAL `modK\nnameK\n`), each called with `()` when `call`. */
function distinctGlobals(n: number, call: boolean) {
  return function* () {
    yield b(0x80, 0x02, 0x28);
    for (let i = 0; i < n; i += 1000) {
      const parts: Uint8Array[] = [];
      for (let k = i; k < Math.min(n, i + 1000); k++) {
        parts.push(ascii(`cmod${k}\nname${k}\n`));
        if (call) parts.push(b(0x29, 0x52));
      }
      yield concat(parts);
    }
    yield b(0x6c, 0x2e);
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Pickle VM exhaustion: nesting, global/call floods, memo and mark floods, FRAME abuse. */
export const pickleHostileCases: HostileCase[] = [
  {
    name: "pickle/tuple1-chain",
    build: (dir, size) => writeChunked(join(dir, "chain.pkl"), tupleChain(pick(size, 1_200_000, 49_000_000))),
    expect: { exit: 1, names: /pickle\/limit-exceeded|maxObjects|maxDepth/ },
  },
  {
    name: "pickle/distinct-globals",
    build: (dir, size) => writeChunked(join(dir, "globals.pkl"), distinctGlobals(pick(size, 5_000, 100_000), false)),
    expect: { exit: 1, names: /distinct globals.*a flood/ },
  },
  {
    name: "pickle/distinct-calls",
    build: (dir, size) => writeChunked(join(dir, "calls.pkl"), distinctGlobals(pick(size, 5_000, 100_000), true)),
    expect: { exit: 1, names: /distinct globals.*a flood/ },
  },
  {
    name: "pickle/memo-nesting",
    build: (dir, size) => writeChunked(join(dir, "nested.pkl"), memoNesting(pick(size, 20_000, 100_000))),
    expect: { exit: 1, names: /maxNesting/ },
  },
  {
    name: "pickle/mark-flood",
    build: (dir, size) =>
      writeChunked(join(dir, "marks.pkl"), function* () {
        yield b(0x80, 0x02);
        yield* repeated(b(0x28), pick(size, 1_000_000, 50_000_000));
        yield b(0x2e);
      }),
    expect: { exit: 1, names: /pickle\// },
  },
  {
    name: "pickle/memo-index-huge",
    // LONG_BINPUT 0xFFFFFFFF: CPython's unpickler grows its memo array to that index.
    build: (dir) => writeChunked(join(dir, "memo.pkl"), function* () {
      yield b(0x80, 0x02, 0x4e, 0x72, 0xff, 0xff, 0xff, 0xff, 0x2e);
    }),
    expect: { exit: 1, names: /memo/i },
  },
  {
    name: "pickle/frame-lies",
    // Protocol 4 FRAME claiming 2^63 bytes, then a little data.
    build: (dir) => writeChunked(join(dir, "frame.pkl"), function* () {
      yield b(0x80, 0x04, 0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x4e, 0x2e);
    }),
    expect: { exit: 1, names: /frame|pickle\// },
  },
];
