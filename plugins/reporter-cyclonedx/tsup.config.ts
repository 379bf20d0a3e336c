import { defineConfig } from "tsup";
import base from "../../tsup.config.base";

// ESM only: the reporter imports the CycloneDX library on first use (a dynamic import), which a
// CommonJS bundle can only inline, and are-the-types-wrong then misreads the bundle's exports.
export default defineConfig({ ...(base as object), format: ["esm"] });
