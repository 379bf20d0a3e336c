// The local-file reader lives in plugin-kit, shared with the Git source (which reads its checkout the same way).
export { localFile, type ListedFacts } from "@modelward/plugin-kit";
