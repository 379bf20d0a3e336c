import { fileURLToPath } from "node:url";

/**
 * The folder of the built console: `index.html` and the files it loads
 * (`app.js`, `app.css`, `icon.svg`), flat, no sub-folders. Importing this
 * module reads nothing: the server reads the files when they are first asked for.
 */
export const webConsoleAssetsDir: string = fileURLToPath(new URL("./assets/", import.meta.url));
