import { defineConfig } from "tsup";
import base from "../../tsup.config.base";

// `import.meta.url` in the CommonJS build too: the data files are found beside dist/.
export default defineConfig({ ...(base as object), shims: true });
