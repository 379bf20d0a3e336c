export * from "./bzip2.js";
export * from "./xz.js";
export * from "./lzma.js";
