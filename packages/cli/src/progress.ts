import { escapeForTerminal } from "@modelward/core";
import type { ScanProgress } from "@modelward/engine";

/**
 * A one-line progress display on a terminal's stderr, redrawn at most ten
 * times a second and erased at the end, so it never mixes with machine output.
 */
export function createProgress(stream: { write(s: string): unknown; isTTY?: boolean; columns?: number }, enabled: boolean) {
  let last = 0;
  let drawn = false;
  return {
    update(p: ScanProgress): void {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      // columns is 0 or absent on some pseudo-terminals: fall back to the classic 80.
      const width = Math.max(20, (stream.columns || 80) - 1);
      // The walk is lazy, so the total is not known until the end: show what is done and in flight.
      const inFlight = p.filesFound - p.filesDone;
      const text = `scanning… ${p.filesDone} files done${inFlight > 0 ? `, ${inFlight} in progress` : ""} · ${escapeForTerminal(p.current ?? "")}`.slice(0, width);
      stream.write(`\r\x1b[2K${text}`);
      drawn = true;
    },
    done(): void {
      if (drawn) stream.write("\r\x1b[2K");
    },
  };
}
