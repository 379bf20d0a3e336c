import type { CliIO } from "./io.js";

/** A CliIO writing into strings, for tests: `out()` and `err()` return what was written so far. */
export function captureIO(cwd: string, env: Record<string, string | undefined> = {}): { io: CliIO; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    io: { stdout: { write: (s) => void (out += String(s)) }, stderr: { write: (s) => void (err += String(s)) }, cwd, env },
    out: () => out,
    err: () => err,
  };
}
