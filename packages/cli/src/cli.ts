import { VERSION } from "./version.js";

// `--version` alone is answered before anything else is loaded (it is the start-up
// floor scripts and CI probes pay); every other command loads the CLI proper.
const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === "--version") process.stdout.write(`${VERSION}\n`);
else {
  const { runCli } = await import("./main.js");
  process.exitCode = await runCli(argv);
}
