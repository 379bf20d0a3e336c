/**
 * @modelward/pickle: a symbolic pickle VM mirroring CPython's C unpickler,
 * a call renderer and the allow-first policy matcher for pickle globals.
 * Used by @modelward/analyzer-pickle and (for data.pkl) the PyTorch analyzer.
 */
export * from "./opcodes.js";
export * from "./values.js";
export * from "./limits.js";
export * from "./result.js";
export * from "./run-options.js";
export * from "./render.js";
export * from "./policy.js";
export * from "./call-semantics.js";
export * from "./call-shapes.js";
export * from "./compat.js";
export * from "./embedded.js";
export { runPickle } from "./vm.js";
export { parseIntArg, parseLongArg, parseFloatArg, parseStringArg, parseMemoIndex, isArgError, type ArgError } from "./text-args.js";
