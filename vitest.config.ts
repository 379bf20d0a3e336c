import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Unit tests import workspace packages from source, so they need no build and
// see one copy of each package; end-to-end tests run the built CLI from dist.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@modelward\/(core|plugin-kit|engine|testing|pickle|jinja-audit|notebook|server|client)$/, replacement: here("./packages/$1/src/index.ts") },
      { find: /^@modelward\/ruleset-default$/, replacement: here("./rulesets/default/src/index.ts") },
      { find: /^@modelward\/((?:analyzer|source|reporter)-[a-z0-9-]+)$/, replacement: here("./plugins/$1/src/index.ts") },
      { find: /^modelward$/, replacement: here("./packages/cli/src/index.ts") },
    ],
  },
  test: {
    include: ["{packages,plugins,rulesets,test}/*/{src,test}/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
