import { defineConfig } from "tsup";
import base from "../../tsup.config.base";

// ESM only: the kit imports vitest, which cannot be require()d.
export default defineConfig({ ...(base as object), format: ["esm"] });
