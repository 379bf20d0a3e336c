import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

// Runs the corpus measurement (not a unit test: it needs /work/shared/corpus) with the
// workspace aliases of the root config:
//   pnpm vitest run --config plugins/analyzer-archive/scripts/vitest.measure.config.ts
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@modelward\/(core|plugin-kit|engine|testing|pickle)$/, replacement: root("packages/$1/src/index.ts") },
      { find: /^@modelward\/ruleset-default$/, replacement: root("rulesets/default/src/index.ts") },
      { find: /^@modelward\/((?:analyzer|source|reporter)-[a-z0-9-]+)$/, replacement: root("plugins/$1/src/index.ts") },
    ],
  },
  test: { include: [fileURLToPath(new URL("./*.measure.ts", import.meta.url))], testTimeout: 600_000 },
});
