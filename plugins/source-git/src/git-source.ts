import { mkdir, mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_BRANCH,
  DEFAULT_DEPTH,
  ModelwardError,
  booleanParam,
  positiveIntegerParam,
  stringParam,
  type ModelFile,
  type OpenedTarget,
  type Source,
  type SourceParams,
} from "@modelward/core";
import { localFile } from "@modelward/plugin-kit";
import { displayUrl, isSafeRef, parseGitTarget, type GitTarget } from "./git-target.js";
import { lfsBatch, lfsEndpoint, type LfsBatchResult } from "./lfs-batch.js";
import { openLfsObject } from "./lfs-object-file.js";
import { LFS_POINTER_MAX_BYTES, parseLfsPointer, type LfsPointer } from "./lfs-pointer.js";
import { gitEnv, hardenedConfig, runGit, tokenConfigEnv } from "./run-git.js";

/** Options of the Git source (config `sources.git`, CLI flags), by the platform's names. */
export type GitSourceOptions = Pick<SourceParams, "branch_name" | "depth" | "git_token" | "lfs">;

/** What the source reads from outside its options; injectable for tests. */
export interface GitSourceDeps {
  /** The fetch used for the LFS batch API and LFS downloads. */
  fetch: typeof fetch;
}

/** One tracked path of the checkout, from `git ls-files -s`. */
interface TrackedEntry {
  mode: string;
  blob: string;
  path: string;
}

/** A tracked path once looked at: what the source does with it. */
type Listed =
  | { kind: "skip" | "incomplete"; path: string; reason: string }
  | { kind: "file"; entry: TrackedEntry; abs: string; size: number; mtimeMs: number }
  | { kind: "pointer"; entry: TrackedEntry; pointer: LfsPointer };

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
 * blob ids; symbolic links and submodules are listed as skipped. Git LFS
 * pointers are incomplete with the oid and size of the file they stand for
 * (its content was not fetched, so it was not analysed), unless `lfs` is on:
 * then their objects are fetched through the LFS batch API with the clone's
 * credentials and read by ranges (see lfs-object-file.ts).
 */
export function createGitSource(deps: GitSourceDeps): Source<GitSourceOptions> {
  return {
    id: "git",
    description: "Git repositories (git+https://, git+file://, git+ssh://, https://github.com/…): a hardened shallow clone of one branch.",
    schemes: ["git+https://", "git+http://", "git+file://", "git+ssh://", "https://"],
    async open(target, ctx): Promise<OpenedTarget> {
      const parsed = parseGitTarget(target);
      const options = ctx.options ?? {};
      const branch = parsed.branch ?? stringParam(options.branch_name, "branch_name") ?? DEFAULT_BRANCH;
      if (!isSafeRef(branch)) throw new ModelwardError("MW_USAGE", `invalid branch name ${JSON.stringify(branch)}`);
      const depth = positiveIntegerParam(options.depth, "depth", DEFAULT_DEPTH);
      const lfs = booleanParam(options.lfs, "lfs", false);
      const scratch = await mkdtemp(join(tmpdir(), "mw-git-"));
      const checkout = join(scratch, "checkout");
      const shown = displayUrl(parsed.url);
      const token = stringParam(options.git_token, "git_token");
      const authorization = httpAuthorization(parsed, token);
      const secrets = [token, authorization, urlPassword(parsed)].filter((s): s is string => s !== undefined && s !== "");
      const scrub = (text: string) => secrets.reduce<string>((t, s) => t.split(s).join("***"), text.split(parsed.url).join(shown));
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
      const lfsFolder = join(scratch, "lfs");
      // The batch API over HTTP(S) only: git-lfs's ssh and file transports run programs or read other folders.
      const fetchLfsActions = async (pointers: LfsPointer[]): Promise<Map<string, LfsBatchResult>> => {
        if (parsed.scheme !== "https" && parsed.scheme !== "http")
          return new Map(pointers.map((p) => [p.oid, { ok: false, reason: `LFS objects are fetched over HTTP(S) only; this target uses ${parsed.scheme}` }]));
        await mkdir(lfsFolder, { recursive: true, mode: 0o700 });
        return lfsBatch(lfsEndpoint(parsed.url), pointers, {
          ...(authorization !== undefined ? { authorization } : {}),
          ref: `refs/heads/${branch}`,
          signal: ctx.signal,
          fetch: deps.fetch,
          scrub,
        });
      };
      return {
        description: { uri, input: displayUrl(target), source: "git", revision: commit },
        async *files(): AsyncGenerator<ModelFile> {
          const listed: Listed[] = [];
          for (const entry of entries) {
            if (ctx.signal.aborted) return;
            listed.push(await look(entry, checkout, ctx.isIgnored));
          }
          const pointers = listed.filter((l): l is Extract<Listed, { kind: "pointer" }> => l.kind === "pointer");
          const fetched = lfs && pointers.length > 0 ? await fetchLfsActions(pointers.map((p) => p.pointer)) : undefined;
          for (const item of listed) {
            if (ctx.signal.aborted) return;
            if (item.kind === "file")
              yield { ...localFile(item.abs, item.entry.path, item.size, { mtimeMs: item.mtimeMs }), revision: `blob:${item.entry.blob}` };
            else if (item.kind !== "pointer") (item.kind === "skip" ? ctx.skip : ctx.incomplete)({ path: item.path, reason: item.reason });
            else {
              const { path } = item.entry;
              const unread = `Git LFS pointer: the ${item.pointer.size}-byte file it stands for (${item.pointer.oid})`;
              if (!lfs) {
                ctx.incomplete({ path, reason: `${unread} was not fetched (scan with --lfs to fetch it), so it was not analysed` });
                continue;
              }
              const action = fetched?.get(item.pointer.oid) ?? { ok: false, reason: "no LFS download action" };
              if (!action.ok) {
                ctx.incomplete({ path, reason: `${unread} could not be fetched: ${scrub(action.reason)}` });
                continue;
              }
              const opened = await openLfsObject({
                path,
                pointer: item.pointer,
                download: action.download,
                ...(authorization !== undefined ? { authorization } : {}),
                endpointOrigin: new URL(lfsEndpoint(parsed.url)).origin,
                scratch: lfsFolder,
                maxWholeBytes: ctx.limits.maxReadBytes,
                signal: ctx.signal,
                fetch: deps.fetch,
                scrub,
              });
              if (!opened.ok) ctx.incomplete({ path, reason: `${unread} could not be fetched: ${scrub(opened.reason)}` });
              else yield opened.file;
            }
          }
        },
        close: () => rm(scratch, { recursive: true, force: true }),
      };
    },
  };
}

/** The Git source with the global fetch. */
export const gitSource: Source<GitSourceOptions> = createGitSource({ fetch: (...args) => fetch(...args) });

/** What to do with one tracked path: skip it (link, submodule, ignored), report it, read it, or resolve its LFS pointer. */
async function look(entry: TrackedEntry, checkout: string, isIgnored: (path: string) => boolean): Promise<Listed> {
  const { path } = entry;
  if (isIgnored(path)) return { kind: "skip", path, reason: "ignored by config" };
  if (entry.mode === "120000") return { kind: "skip", path, reason: "symbolic link in the repository: checked out as a plain file and not followed" };
  if (entry.mode === "160000") return { kind: "skip", path, reason: `submodule at commit ${entry.blob}: not fetched (scan its repository separately)` };
  const abs = join(checkout, path);
  const info = await stat(abs).catch(() => undefined);
  if (!info?.isFile()) return { kind: "incomplete", path, reason: "tracked by the commit but missing from the checkout" };
  if (info.size <= LFS_POINTER_MAX_BYTES) {
    const pointer = parseLfsPointer(await readSmall(abs, info.size));
    if (pointer) return { kind: "pointer", entry, pointer };
  }
  return { kind: "file", entry, abs, size: info.size, mtimeMs: info.mtimeMs };
}

/**
 * The clone's credentials as an HTTP `Authorization` value for the LFS
 * server: `git_token` as GitHub takes it, else a `user:password@` of the URL.
 */
function httpAuthorization(target: GitTarget, token: string | undefined): string | undefined {
  if (target.scheme !== "https" && target.scheme !== "http") return undefined;
  if (token !== undefined) return `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
  const url = new URL(target.url);
  if (!url.username && !url.password) return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
}

function urlPassword(target: GitTarget): string | undefined {
  try {
    const url = new URL(target.url);
    return url.password ? decodeURIComponent(url.password) : undefined;
  } catch {
    return undefined;
  }
}

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
