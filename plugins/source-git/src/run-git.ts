import { execFile } from "node:child_process";
import { ModelwardError } from "@modelward/core";
import type { GitTarget } from "./git-target.js";

/** Most bytes of git output kept (listings of huge repositories are streamed by the caller's limits). */
const MAX_OUTPUT = 256 * 1024 * 1024;

/**
 * Configuration forced on every git command, so nothing the remote sends can
 * run or apply: no hooks (and no template to copy them from), symlinks checked
 * out as plain files (a link to `~/.ssh/id_rsa` must not be read as the
 * repository's file), no LFS smudge or any filter process, no submodules,
 * no fsmonitor, only the target's transport allowed, objects checked.
 */
export function hardenedConfig(scheme: GitTarget["scheme"]): string[] {
  const settings = [
    "core.hooksPath=/dev/null",
    "init.templateDir=",
    "core.symlinks=false",
    "core.fsmonitor=false",
    "core.autocrlf=false",
    "filter.lfs.smudge=",
    "filter.lfs.process=",
    "filter.lfs.required=false",
    "submodule.recurse=false",
    "protocol.allow=never",
    `protocol.${scheme}.allow=always`,
    "transfer.fsckObjects=true",
    "advice.detachedHead=false",
    "credential.helper=",
  ];
  return settings.flatMap((s) => ["-c", s]);
}

/**
 * The environment git runs with: no system or user config (`HOME` is the
 * scratch folder), no prompts, LFS smudge skipped, and only the target's
 * transport allowed (`GIT_ALLOW_PROTOCOL` also binds submodule and
 * remote-helper fetches).
 */
export function gitEnv(home: string, scheme: GitTarget["scheme"]): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    LANG: "C",
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "/bin/false",
    SSH_ASKPASS: "/bin/false",
    GIT_LFS_SKIP_SMUDGE: "1",
    GIT_ALLOW_PROTOCOL: scheme,
    GIT_PROTOCOL_FROM_USER: "0",
  };
}

/**
 * The environment entries that send `token` to the repository's origin only:
 * an `Authorization` header configured through `GIT_CONFIG_*` variables (never
 * on the command line, where the process list would show it) and scoped to
 * `http.<origin>/.extraHeader`, so a redirect to another host does not carry
 * it. GitHub accepts a token as the password of the `x-access-token` user.
 */
export function tokenConfigEnv(target: GitTarget, token: string): NodeJS.ProcessEnv {
  if (target.scheme !== "https" && target.scheme !== "http")
    throw new ModelwardError("MW_USAGE", `git_token is sent over HTTP(S) only; this target uses ${target.scheme}`);
  if (/[\r\n]/.test(token)) throw new ModelwardError("MW_USAGE", "git_token must be one line");
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: `http.${new URL(target.url).origin}/.extraHeader`,
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

/** Runs git with `args` and returns stdout; throws with git's (credential-free) message. */
export function runGit(args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; signal: AbortSignal; scrub: (s: string) => string }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd: o.cwd, env: o.env, signal: o.signal, encoding: "buffer", maxBuffer: MAX_OUTPUT, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        return reject(new ModelwardError("MW_SOURCE_FAILED", "the git executable was not found: install git (Debian: apt-get install git)"));
      if (o.signal.aborted) return reject(new ModelwardError("MW_SOURCE_FAILED", "git was stopped: the scan was cancelled"));
      const text = o.scrub(stderr.toString("utf8").trim().split("\n").slice(-5).join(" | ")) || error.message;
      reject(new ModelwardError(notFound(text) ? "MW_TARGET_NOT_FOUND" : "MW_SOURCE_FAILED", `git ${args.find((a) => !a.startsWith("-") && !a.includes("=")) ?? ""} failed: ${text}`));
    });
  });
}

function notFound(stderr: string): boolean {
  return /Remote branch .* not found|repository .* not found|does not appear to be a git repository|Could not read from remote repository|HTTP 404|not found/i.test(stderr);
}
