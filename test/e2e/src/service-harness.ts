import { spawn, type ChildProcess } from "node:child_process";
import { CLI, runBuiltCli } from "./cli-binary.js";

/** A `modelward serve` or `worker` child process; `url` is what its ready line named (the URL, or the worker id). */
export interface ServeProcess {
  url: string;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

/** Creates an API key with the built CLI (`modelward serve keys create`). */
export async function createKey(cwd: string, storeArgs: string[], project: string, env: Record<string, string> = {}): Promise<string> {
  const r = await runBuiltCli(["serve", "keys", "create", ...storeArgs, "--project", project], cwd, env);
  if (r.code !== 0) throw new Error(`keys create failed (${r.code}): ${r.stderr}`);
  const key = r.stdout.trim();
  if (!/^mwk_[A-Za-z0-9_-]{32}$/.test(key)) throw new Error(`unexpected key output: ${r.stdout}`);
  return key;
}

/** Starts the built CLI with `args` (serve or worker) and, for serve, waits for the URL it prints. */
export function startCli(args: string[], cwd: string, options: { waitFor?: RegExp; env?: Record<string, string> } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const waitFor = options.waitFor ?? /serving (http:\/\/127\.0\.0\.1:\d+)\/v1/;
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = waitFor.exec(output);
      if (m) {
        child.stderr!.off("data", onData);
        child.stderr!.on("data", (more: Buffer) => (output += more.toString()));
        resolve({
          url: m[1] ?? "",
          child,
          log: () => output,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    };
    child.stderr!.on("data", onData);
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.once("exit", (code) => reject(new Error(`modelward ${args[0]} exited ${code} before it was ready:\n${output}`)));
  });
}
