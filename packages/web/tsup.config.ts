import { defineConfig } from "tsup";

// The Node side only (where the built assets are): ESM, since it locates them with import.meta.url.
// The browser bundle is built by build-assets.mjs.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
});
