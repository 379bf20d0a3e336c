export * from "./bounds.js";
export * from "./binary-cursor.js";
export * from "./chunked-reader.js";
export * from "./sniff.js";
export * from "./zip/index.js";
export * from "./format-handlers.js";
export * from "./codecs/index.js";
export * from "./value-checks.js";
