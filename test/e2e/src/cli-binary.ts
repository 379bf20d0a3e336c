import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Path of the built CLI (pnpm test builds before testing). */
export const CLI = fileURLToPath(new URL("../../../packages/cli/dist/cli.js", import.meta.url));

/** Runs the built CLI and resolves with its exit code and output; never rejects on a non-zero exit. */
export function runBuiltCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 2) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
