export * from "./memory-file.js";
export * from "./recording-context.js";
