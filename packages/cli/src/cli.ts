import { VERSION } from "./version.js";

// `--version` alone is answered before anything else is loaded (it is the start-up
// floor scripts and CI probes pay); every other command loads the CLI proper.
const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === "--version") process.stdout.write(`${VERSION}\n`);
else {
  const { runCli } = await import("./main.js");
  const code = await runCli(argv);
  process.exitCode = code;
  // The report is written. An analysis stopped at its deadline may still hold the event loop (a
  // pending read, a timer): it must not keep the process alive. stdout was drained by writeChunks.
  setTimeout(() => process.exit(code), 2000).unref();
}
