import {
  buildGitFixture,
  sourceRepoFixture,
  startGitHttpServer,
  startHubStandIn,
  startS3Server,
  type GitFixture,
  type GitHttpServer,
  type HubRepo,
  type HubStandIn,
  type S3TestServer,
} from "@modelward/testing";

/** The three remote stands on 127.0.0.1, each holding the source fixture repository. */
export interface SourceStands {
  files: Record<string, Uint8Array>;
  /** Hub stand-in: `org/tiny` (private) plus `extraRepos`. */
  hub: HubStandIn;
  /** s3rver: bucket `models`, the fixture under `tiny/`. */
  s3: S3TestServer;
  /** Bare repository `tiny.git` (branch main) and the git http-backend serving it. */
  git: GitFixture;
  gitServer: GitHttpServer;
  close(): Promise<void>;
}

/**
 * Starts the Hub stand-in (token `hfToken`), s3rver and git http-backend (with
 * `gitToken`, a private repository) with `sourceRepoFixture()` in each, so a
 * test can compare what every source reads of the same files.
 */
export async function startSourceStands(o: { hfToken: string; gitToken?: string; extraRepos?: Record<string, HubRepo> }): Promise<SourceStands> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const files = sourceRepoFixture();
  const hub = await startHubStandIn({ token: o.hfToken, repos: { "org/tiny": { files, private: true }, ...o.extraRepos } });
  const s3 = await startS3Server(["models"]);
  for (const [path, bytes] of Object.entries(files)) await s3.put("models", `tiny/${path}`, bytes);
  const git = await buildGitFixture("tiny", { main: { files } });
  const gitServer = await startGitHttpServer(git.root, o.gitToken !== undefined ? { token: o.gitToken } : {});
  return {
    files,
    hub,
    s3,
    git,
    gitServer,
    async close() {
      await hub.close();
      await s3.stop();
      await gitServer.close();
      git.remove();
    },
  };
}
