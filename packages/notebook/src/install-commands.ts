import { splitMagics, type MagicCommand } from "./magics.js";
import type { Notebook } from "./notebook-types.js";
import { splitShell } from "./shell-words.js";

/** A package installation a notebook performs (`%pip install`, `!pip install`, `!conda install`, …). */
export interface InstallCommand {
  /** `pip` (also `python -m pip`, `uv pip`, `pip3`), `conda` (also mamba/micromamba). */
  tool: "pip" | "conda";
  /** Requirement arguments as written (`torch==2.1.0`, `git+https://…`, `./pkg`). */
  requirements: string[];
  /** `-r` / `--requirement` files. */
  requirementFiles: string[];
  /** `-c` / `--constraint` files. */
  constraintFiles: string[];
  /** `-e` / `--editable` targets. */
  editables: string[];
  /** `-i` / `--index-url`. */
  indexUrl?: string;
  /** `--extra-index-url` values. */
  extraIndexUrls: string[];
  /** `-f` / `--find-links` values. */
  findLinks: string[];
  /** `--trusted-host` values. */
  trustedHosts: string[];
  /** Conda channels (`-c`, `--channel`). */
  channels: string[];
  /** Other options as written (`--upgrade`, `--no-deps`, `--pre`). */
  otherOptions: string[];
  /** The shell words of the command. */
  words: string[];
}

/** An install command with where it is in a notebook. */
export interface LocatedInstall extends InstallCommand {
  /** Cell index; 1-based line in the cell source. */
  cell: number;
  executionCount: number | null;
  line: number;
  /** The escape as written in the cell (`%pip install …`). */
  magic: MagicCommand;
}

const PIP_VALUE_OPTIONS = new Set(["-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host", "-t", "--target", "--prefix", "--root", "--python-version", "--platform", "--implementation", "--abi", "--src", "--upgrade-strategy", "--progress-bar", "--proxy", "--retries", "--timeout", "--cache-dir", "--log", "--cert", "--client-cert", "--config-settings", "-C", "--global-option", "--build-option", "--only-binary", "--no-binary", "--python"]);
const CONDA_VALUE_OPTIONS = new Set(["-c", "--channel", "-n", "--name", "-p", "--prefix", "--file"]);

/**
 * The package installs in one shell command line (`pip install -r req.txt torch`,
 * `python -m pip install …`, `uv pip install …`, `conda install -c conda-forge x`),
 * every command of a `&&`/`;` chain included.
 */
export function parseInstallCommands(commandLine: string): InstallCommand[] {
  const out: InstallCommand[] = [];
  for (const cmd of splitShell(commandLine)) {
    let w = cmd.words.filter((x) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(x) || cmd.words.indexOf(x) > 0);
    if (w[0] === "sudo") w = w.slice(1);
    const exe = (w[0] ?? "").replace(/^.*\//, "");
    let tool: InstallCommand["tool"] | undefined;
    let rest: string[] = [];
    if (/^pip[0-9.]*$/.test(exe) && w[1] === "install") [tool, rest] = ["pip", w.slice(2)];
    else if (/^python[0-9.]*$/.test(exe) && w[1] === "-m" && /^pip[0-9.]*$/.test(w[2] ?? "") && w[3] === "install") [tool, rest] = ["pip", w.slice(4)];
    else if (exe === "uv" && w[1] === "pip" && w[2] === "install") [tool, rest] = ["pip", w.slice(3)];
    else if (/^(conda|mamba|micromamba)$/.test(exe) && w[1] === "install") [tool, rest] = ["conda", w.slice(2)];
    if (!tool) continue;
    out.push(tool === "pip" ? pipInstall(rest, cmd.words) : condaInstall(rest, cmd.words));
  }
  return out;
}

function empty(tool: InstallCommand["tool"], words: string[]): InstallCommand {
  return { tool, requirements: [], requirementFiles: [], constraintFiles: [], editables: [], extraIndexUrls: [], findLinks: [], trustedHosts: [], channels: [], otherOptions: [], words };
}

function pipInstall(args: string[], words: string[]): InstallCommand {
  const r = empty("pip", words);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("-")) {
      r.requirements.push(a);
      continue;
    }
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const opt = eq > 0 ? a.slice(0, eq) : a.length > 2 && !a.startsWith("--") && PIP_VALUE_OPTIONS.has(a.slice(0, 2)) ? a.slice(0, 2) : a;
    let value: string | undefined;
    if (PIP_VALUE_OPTIONS.has(opt)) {
      if (eq > 0) value = a.slice(eq + 1);
      else if (opt !== a) value = a.slice(2);
      else value = args[++i];
    } else {
      r.otherOptions.push(a);
      continue;
    }
    if (value === undefined) continue;
    switch (opt) {
      case "-r":
      case "--requirement":
        r.requirementFiles.push(value);
        break;
      case "-c":
      case "--constraint":
        r.constraintFiles.push(value);
        break;
      case "-e":
      case "--editable":
        r.editables.push(value);
        break;
      case "-i":
      case "--index-url":
        r.indexUrl = value;
        break;
      case "--extra-index-url":
        r.extraIndexUrls.push(value);
        break;
      case "-f":
      case "--find-links":
        r.findLinks.push(value);
        break;
      case "--trusted-host":
        r.trustedHosts.push(value);
        break;
      default:
        r.otherOptions.push(`${opt}=${value}`);
    }
  }
  return r;
}

function condaInstall(args: string[], words: string[]): InstallCommand {
  const r = empty("conda", words);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("-")) {
      r.requirements.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const opt = eq > 0 ? a.slice(0, eq) : a;
    if (!CONDA_VALUE_OPTIONS.has(opt)) {
      r.otherOptions.push(a);
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined) continue;
    if (opt === "-c" || opt === "--channel") r.channels.push(value);
    else if (opt === "--file") r.requirementFiles.push(value);
    else r.otherOptions.push(`${opt}=${value}`);
  }
  return r;
}

/** Every package install in a notebook's code cells, with cell and line. */
export function notebookInstalls(nb: Notebook): LocatedInstall[] {
  const out: LocatedInstall[] = [];
  for (const cell of nb.cells) {
    if (cell.cellType !== "code") continue;
    for (const magic of splitMagics(cell.source).magics) {
      if (!magic.shell) continue;
      const lines = magic.kind === "cell-magic" ? magic.shell.split("\n").map((text, k) => ({ text, line: magic.line + 1 + k })) : [{ text: magic.shell, line: magic.line }];
      for (const { text, line } of lines) {
        for (const install of parseInstallCommands(text)) out.push({ ...install, cell: cell.index, executionCount: cell.executionCount, line, magic });
      }
    }
  }
  return out;
}
