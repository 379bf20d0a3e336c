export * from "./memory-file.js";
export * from "./recording-context.js";
export * from "./memory-source.js";
export * from "./analyzer-tester.js";
export * from "./sample-report.js";
