/** Where the CLI writes and how it sees its environment; injectable for tests. */
export interface CliIO {
  stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The real process's IO. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** Exit codes: 0 clean, 1 findings at or above fail-on (or an incomplete analysis), 2 usage/config/target error. */
export const EXIT = { clean: 0, failed: 1, error: 2 } as const;

/** Whether to colour output for a stream: honours NO_COLOR and FORCE_COLOR. */
export function wantsColor(stream: { isTTY?: boolean }, env: CliIO["env"], flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}
