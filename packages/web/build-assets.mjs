// Builds the browser side of the console into dist/assets: one minified ES module
// (Preact and the API client bundled in), its stylesheet, index.html and the icon.
// Prints the sizes, raw and gzipped, so a growing bundle is noticed.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const out = new URL("./dist/assets/", import.meta.url);
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL("./src/app/main.tsx", import.meta.url).pathname],
  outfile: new URL("app.js", out).pathname,
  bundle: true,
  format: "esm",
  minify: true,
  target: ["chrome109", "firefox115", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "linked",
  logLevel: "warning",
});
for (const f of ["index.html", "app.css", "icon.svg"]) copyFileSync(new URL(`./static/${f}`, import.meta.url), new URL(f, out));
const sizes = readdirSync(out).map((f) => {
  const bytes = readFileSync(new URL(f, out));
  return `${f} ${(statSync(new URL(f, out)).size / 1024).toFixed(1)} KiB (${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzipped)`;
});
console.log(`@modelward/web assets: ${sizes.join(", ")}`);
