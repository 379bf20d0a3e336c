/**
 * ggml tensor types as GGUF stores them: name, elements per block and bytes
 * per block (ggml.c `type_traits`, block sizes from ggml-common.h). Ids that
 * ggml removed (4, 5, 31–33, 36–38) are absent: loaders reject them.
 */
export const GGML_TYPES: ReadonlyMap<number, { name: string; block: number; size: number }> = new Map([
  [0, { name: "F32", block: 1, size: 4 }],
  [1, { name: "F16", block: 1, size: 2 }],
  [2, { name: "Q4_0", block: 32, size: 18 }],
  [3, { name: "Q4_1", block: 32, size: 20 }],
  [6, { name: "Q5_0", block: 32, size: 22 }],
  [7, { name: "Q5_1", block: 32, size: 24 }],
  [8, { name: "Q8_0", block: 32, size: 34 }],
  [9, { name: "Q8_1", block: 32, size: 36 }],
  [10, { name: "Q2_K", block: 256, size: 84 }],
  [11, { name: "Q3_K", block: 256, size: 110 }],
  [12, { name: "Q4_K", block: 256, size: 144 }],
  [13, { name: "Q5_K", block: 256, size: 176 }],
  [14, { name: "Q6_K", block: 256, size: 210 }],
  [15, { name: "Q8_K", block: 256, size: 292 }],
  [16, { name: "IQ2_XXS", block: 256, size: 66 }],
  [17, { name: "IQ2_XS", block: 256, size: 74 }],
  [18, { name: "IQ3_XXS", block: 256, size: 98 }],
  [19, { name: "IQ1_S", block: 256, size: 50 }],
  [20, { name: "IQ4_NL", block: 32, size: 18 }],
  [21, { name: "IQ3_S", block: 256, size: 110 }],
  [22, { name: "IQ2_S", block: 256, size: 82 }],
  [23, { name: "IQ4_XS", block: 256, size: 136 }],
  [24, { name: "I8", block: 1, size: 1 }],
  [25, { name: "I16", block: 1, size: 2 }],
  [26, { name: "I32", block: 1, size: 4 }],
  [27, { name: "I64", block: 1, size: 8 }],
  [28, { name: "F64", block: 1, size: 8 }],
  [29, { name: "IQ1_M", block: 256, size: 56 }],
  [30, { name: "BF16", block: 1, size: 2 }],
  [34, { name: "TQ1_0", block: 256, size: 54 }],
  [35, { name: "TQ2_0", block: 256, size: 66 }],
  [39, { name: "MXFP4", block: 32, size: 17 }],
]);

/** GGUF metadata value types (gguf.h) and the bytes of the fixed-size ones. */
export const GGUF_VALUE_TYPES: ReadonlyMap<number, { name: string; size: number }> = new Map([
  [0, { name: "u8", size: 1 }],
  [1, { name: "i8", size: 1 }],
  [2, { name: "u16", size: 2 }],
  [3, { name: "i16", size: 2 }],
  [4, { name: "u32", size: 4 }],
  [5, { name: "i32", size: 4 }],
  [6, { name: "f32", size: 4 }],
  [7, { name: "bool", size: 1 }],
  [8, { name: "string", size: 0 }],
  [9, { name: "array", size: 0 }],
  [10, { name: "u64", size: 8 }],
  [11, { name: "i64", size: 8 }],
  [12, { name: "f64", size: 8 }],
]);

export const GGUF_TYPE_STRING = 8;
export const GGUF_TYPE_ARRAY = 9;
/** ggml's GGML_MAX_DIMS and GGML_MAX_NAME. */
export const GGML_MAX_DIMS = 4;
export const GGML_MAX_NAME = 64;
export const GGUF_DEFAULT_ALIGNMENT = 32;
export const INT64_MAX = (1n << 63n) - 1n;
