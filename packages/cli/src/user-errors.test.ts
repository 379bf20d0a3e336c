import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./main.js";
import type { CliIO } from "./io.js";
import { SCAN_OPTIONS } from "./scan-options.js";

// Every mistake a user can make is a plain message on stderr, exit 2, and no stack trace.

function capture(cwd: string, columns?: number): { io: CliIO; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    io: { stdout: { write: (s) => void (out += String(s)), ...(columns ? { columns } : {}) }, stderr: { write: (s) => void (err += String(s)) }, cwd, env: {} },
    out: () => out,
    err: () => err,
  };
}

// A folder with a config that composes only the recommended preset and a pickle to scan.
function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mw-usererr-"));
  writeFileSync(join(dir, "modelward.config.json"), JSON.stringify({ extends: ["modelward:recommended"] }));
  writeFileSync(join(dir, "m.pkl"), Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]));
  return dir;
}

async function fails(args: string[], dir = workdir()): Promise<string> {
  const c = capture(dir);
  expect(await runCli(args, c.io)).toBe(2);
  expect(c.err()).not.toMatch(/internal error|\n\s+at /);
  expect(c.out()).toBe("");
  return c.err();
}

describe("user errors are plain, exit 2", () => {
  it("a broken symlink and a symlink loop given as targets", async () => {
    const dir = workdir();
    symlinkSync(join(dir, "nowhere"), join(dir, "broken"));
    symlinkSync(join(dir, "loop-b"), join(dir, "loop-a"));
    symlinkSync(join(dir, "loop-a"), join(dir, "loop-b"));
    expect(await fails(["scan", join(dir, "broken")], dir)).toMatch(/broken is a broken symlink/);
    expect(await fails(["scan", join(dir, "loop-a")], dir)).toMatch(/loop-a is a symlink loop/);
  });

  it("a FIFO and a device given as targets say what they are, not 'not found'", async () => {
    const dir = workdir();
    execFileSync("mkfifo", [join(dir, "pipe")]);
    const fifo = await fails(["scan", join(dir, "pipe")], dir);
    expect(fifo).toMatch(/is a named pipe \(FIFO\), not a file or folder/);
    expect(fifo).not.toMatch(/not found/i);
    expect(await fails(["scan", "/dev/null"], dir)).toMatch(/\/dev\/null is a character device/);
  });

  it("an output that is a folder, under a file, or on a full disk is refused before scanning", async () => {
    const dir = workdir();
    mkdirSync(join(dir, "out"));
    expect(await fails(["scan", join(dir, "m.pkl"), "-f", "sarif", "-o", "out"], dir)).toMatch(/cannot write the sarif report to .*out: it is a folder; give a file name, e\.g\. .*out\/modelward\.sarif/);
    expect(await fails(["scan", join(dir, "m.pkl"), "-f", "json", "-o", "m.pkl/report.json"], dir)).toMatch(/cannot write the json report .*: a part of the path is a file/);
    // /dev/full accepts the open and fails every write with ENOSPC.
    expect(await fails(["scan", join(dir, "m.pkl"), "-f", "json", "-o", "/dev/full"], dir)).toMatch(/cannot write the json report to \/dev\/full: the disk is full/);
  });

  it("checks outputs before scanning: a refused output leaves no partial report behind", async () => {
    const dir = workdir();
    mkdirSync(join(dir, "out"));
    const err = await fails(["scan", join(dir, "m.pkl"), "-f", "json", "-o", "ok/report.json", "-f", "sarif", "-o", "out"], dir);
    expect(err).toMatch(/MW_OUTPUT_UNWRITABLE/);
    expect(existsSync(join(dir, "ok/report.json"))).toBe(false);
  });

  it("--concurrency and --timeout that are not positive numbers quote what was typed", async () => {
    expect(await fails(["scan", "x", "--concurrency", "abc"])).toMatch(/--concurrency must be a positive whole number.*got "abc"/);
    expect(await fails(["scan", "x", "--concurrency", "2.5"])).toMatch(/got "2\.5"/);
    expect(await fails(["scan", "x", "--timeout", "-3"])).toMatch(/--timeout must be a positive number of seconds.*got "-3"/);
  });

  it("suggests the option, command, analyzer and format that was meant", async () => {
    expect(await fails(["scan", "x", "--formt", "json"])).toMatch(/Unknown argument: formt \(--formt: did you mean --format\?\)/);
    expect(await fails(["scan", "x", "--fial-on", "low"])).toMatch(/did you mean --fail-on\?/);
    const command = await fails(["scna", "x"]);
    expect(command).toMatch(/Did you mean scan\?/);
    expect(command.match(/modelward:/g)).toHaveLength(1);
    const dir = workdir();
    expect(await fails(["scan", join(dir, "m.pkl"), "--analyzer", "pickel"], dir)).toMatch(/unknown analyzer "pickel"\. Did you mean "pickle"\?/);
    expect(await fails(["scan", join(dir, "m.pkl"), "-f", "jsno"], dir)).toMatch(/unknown format "jsno"\. Did you mean "json"\?/);
    expect(await fails(["scan", join(dir, "m.pkl"), "-f", "pdf"], dir)).not.toMatch(/Did you mean/);
  });
});

describe("--help", () => {
  for (const columns of [80, 100]) {
    it(`fits ${columns} columns without breaking a word, and lists the exit codes`, async () => {
      const c = capture(workdir(), columns);
      expect(await runCli(["scan", "--help"], c.io)).toBe(0);
      const help = c.out();
      for (const line of help.split("\n")) expect(line.length).toBeLessThanOrEqual(columns);
      // Every word of every option's description appears whole (cliui breaks words it cannot fit).
      const words = new Set(help.split(/\s+/));
      for (const option of Object.values(SCAN_OPTIONS))
        for (const word of option.describe.split(/\s+/)) expect(words, `"${word}" of "${option.describe}"`).toContain(word);
      expect(help).toMatch(/Exit codes:\n\s+0 .*\n\s+1 .*\n\s+2 /);
      expect(help).not.toMatch(/\[required\] \[default/);
    });
  }
});
