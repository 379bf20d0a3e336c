import { defineConfig } from "tsup";

// ESM only: PGlite is an ES module, and the server runs under Node, never from require().
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
});
