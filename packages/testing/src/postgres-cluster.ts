import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throw-away PostgreSQL cluster on 127.0.0.1 (Debian's `postgresql` package; `.ci/run` installs it). */
export interface PostgresCluster {
  url: string;
  stop(): void;
}

/** Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin, off the PATH. */
function binDir(): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, "bin", "initdb"))) : [];
  if (!majors.length) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql (.ci/run does)");
  return join(root, majors.sort((a, b) => Number(b) - Number(a))[0]!, "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * initdb + pg_ctl in a temporary folder, listening on a free loopback port
 * only (no Unix socket outside the folder), fsync off (a test cluster).
 * PostgreSQL refuses to run as root: as root, the cluster belongs to the
 * `postgres` user the Debian package creates and commands run through runuser.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "mw-pg-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], { stdio: "pipe" }) : execFileSync(join(bin, cmd), args, { stdio: "pipe" });
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  run("initdb", ["-D", data, "-A", "trust", "-U", "mw", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  run("pg_ctl", [
    "-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60",
    "-o", `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`,
    "start",
  ]);
  return {
    url: `postgres://mw@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
