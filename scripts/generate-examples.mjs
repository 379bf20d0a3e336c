// `pnpm examples`: writes the bundled examples/ folder from @modelward/testing's
// buildExamples() (run after a build). A test checks the committed files match.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildExamples, renderExamplesReadme } from "@modelward/testing";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "examples");
rmSync(root, { recursive: true, force: true });
const examples = buildExamples();
for (const e of examples) {
  mkdirSync(dirname(join(root, e.path)), { recursive: true });
  writeFileSync(join(root, e.path), e.bytes);
}
writeFileSync(join(root, "README.md"), renderExamplesReadme(examples));
console.log(`wrote ${examples.length} examples to ${root}`);
