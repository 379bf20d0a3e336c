import { mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_BRANCH,
  DEFAULT_DEPTH,
  ModelwardError,
  positiveIntegerParam,
  stringParam,
  type ModelFile,
  type OpenedTarget,
  type Source,
  type SourceParams,
} from "@modelward/core";
import { localFile } from "@modelward/plugin-kit";
import { displayUrl, isSafeRef, parseGitTarget } from "./git-target.js";
import { LFS_POINTER_MAX_BYTES, parseLfsPointer } from "./lfs-pointer.js";
import { gitEnv, hardenedConfig, runGit, tokenConfigEnv } from "./run-git.js";

/** Options of the Git source (config `sources.git`, CLI flags), by the platform's names. */
export type GitSourceOptions = Pick<SourceParams, "branch_name" | "depth" | "git_token">;

/** One tracked path of the checkout, from `git ls-files -s`. */
interface TrackedEntry {
  mode: string;
  blob: string;
  path: string;
}

/**
 * Git repositories (`git+https://…`, `git+file://…`, `git+ssh://…`,
 * `https://github.com/o/r`), cloned with Debian's `git` executable, shallow
 * (`depth`, default 1) on one branch (`branch_name`, default `main`), into a
 * scratch folder removed on close. The executable rather than isomorphic-git:
 * it is the reference implementation of every transport and of shallow
 * fetches (isomorphic-git has no `git://`/ssh and its own pack parser to
 * trust), and its hardening switches are documented: hooks, templates,
 * filters, LFS smudge, submodules, symlinks and every transport but the
 * target's are turned off, with no system or user config read (see
 * run-git.ts). The tracked files of the commit are then yielded with their
 * blob ids; symbolic links and submodules are listed as skipped, and Git LFS
 * pointers as incomplete with the oid and size of the file they stand for
 * (its content was not fetched, so it was not analysed).
 */
export const gitSource: Source<GitSourceOptions> = {
  id: "git",
  description: "Git repositories (git+https://, git+file://, git+ssh://, https://github.com/…): a hardened shallow clone of one branch.",
  schemes: ["git+https://", "git+http://", "git+file://", "git+ssh://", "https://"],
  async open(target, ctx): Promise<OpenedTarget> {
    const parsed = parseGitTarget(target);
    const options = ctx.options ?? {};
    const branch = parsed.branch ?? stringParam(options.branch_name, "branch_name") ?? DEFAULT_BRANCH;
    if (!isSafeRef(branch)) throw new ModelwardError("MW_USAGE", `invalid branch name ${JSON.stringify(branch)}`);
    const depth = positiveIntegerParam(options.depth, "depth", DEFAULT_DEPTH);
    const scratch = await mkdtemp(join(tmpdir(), "mw-git-"));
    const checkout = join(scratch, "checkout");
    const shown = displayUrl(parsed.url);
    const token = stringParam(options.git_token, "git_token");
    const scrub = (text: string) => [parsed.url, token].reduce<string>((t, s) => (s ? t.split(s).join(s === token ? "***" : shown) : t), text);
    const env = { ...gitEnv(scratch, parsed.scheme), ...(token !== undefined ? tokenConfigEnv(parsed, token) : {}) };
    const git = (args: string[], cwd: string) => runGit([...hardenedConfig(parsed.scheme), ...args], { cwd, env, signal: ctx.signal, scrub });
    let commit: string;
    let entries: TrackedEntry[];
    try {
      await git(["clone", "--quiet", "--depth", String(depth), "--branch", branch, "--single-branch", "--no-tags", "--no-recurse-submodules", "--", parsed.url, checkout], scratch);
      commit = (await git(["rev-parse", "--verify", "HEAD^{commit}"], checkout)).toString("utf8").trim();
      entries = parseLsFiles(await git(["ls-files", "--stage", "-z"], checkout));
    } catch (error) {
      await rm(scratch, { recursive: true, force: true });
      throw error;
    }
    const uri = `git+${shown}@${commit}`;
    return {
      description: { uri, input: displayUrl(target), source: "git", revision: commit },
      async *files(): AsyncGenerator<ModelFile> {
        for (const entry of entries) {
          if (ctx.signal.aborted) return;
          const { path } = entry;
          if (ctx.isIgnored(path)) {
            ctx.skip({ path, reason: "ignored by config" });
            continue;
          }
          if (entry.mode === "120000") {
            ctx.skip({ path, reason: "symbolic link in the repository: checked out as a plain file and not followed" });
            continue;
          }
          if (entry.mode === "160000") {
            ctx.skip({ path, reason: `submodule at commit ${entry.blob}: not fetched (scan its repository separately)` });
            continue;
          }
          const abs = join(checkout, path);
          const info = await stat(abs).catch(() => undefined);
          if (!info?.isFile()) {
            ctx.incomplete({ path, reason: "tracked by the commit but missing from the checkout" });
            continue;
          }
          if (info.size <= LFS_POINTER_MAX_BYTES) {
            const pointer = parseLfsPointer(await readSmall(abs, info.size));
            if (pointer) {
              ctx.incomplete({ path, reason: `Git LFS pointer: the ${pointer.size}-byte file it stands for (${pointer.oid}) was not fetched, so it was not analysed` });
              continue;
            }
          }
          yield { ...localFile(abs, path, info.size, { mtimeMs: info.mtimeMs }), revision: `blob:${entry.blob}` };
        }
      },
      close: () => rm(scratch, { recursive: true, force: true }),
    };
  },
};

/** `git ls-files --stage -z`: `<mode> <blob> <stage>\t<path>\0`, sorted by path as git sorts (bytewise). */
export function parseLsFiles(out: Buffer): TrackedEntry[] {
  const entries: TrackedEntry[] = [];
  for (const record of out.toString("utf8").split("\0")) {
    const m = /^(\d{6}) ([0-9a-f]{40,64}) \d\t(.+)$/s.exec(record);
    if (m) entries.push({ mode: m[1]!, blob: m[2]!, path: m[3]! });
  }
  return entries;
}

async function readSmall(path: string, size: number): Promise<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buffer = Buffer.alloc(size);
    await fh.read(buffer, 0, size, 0);
    return buffer;
  } finally {
    await fh.close();
  }
}
