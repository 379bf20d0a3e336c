import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { linkSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const run = promisify(execFile);

/** A running loopback S3 server (s3rver, a real S3-API implementation). */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>`: the endpoint to give the client (path-style). */
  endpoint: string;
  /** Credentials s3rver accepts. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Puts an object (test setup) through the S3 API; a `{ diskPath }` (a large sparse file) is linked into the store instead. */
  put(bucket: string, key: string, body: Uint8Array | { diskPath: string }): Promise<void>;
  stop(): Promise<void>;
}

// The server runs in its own Node process: s3rver encrypts ListObjectsV2 continuation tokens
// with DES, which OpenSSL 3 only offers under --openssl-legacy-provider (without it, pagination
// answers InternalError). A child process keeps that flag away from the tests' own process.
const CHILD = String.raw`
const S3rver = require(process.argv[1]);
const [dir, bucketsJson] = process.argv.slice(2);
const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir, configureBuckets: JSON.parse(bucketsJson).map((name) => ({ name })) });
server.run().then((address) => {
  process.stdout.write(JSON.stringify({ port: address.port }) + "\n");
});
process.stdin.setEncoding("utf8");
let buffer = "";
process.stdin.on("data", (d) => {
  buffer += d;
  let nl;
  while ((nl = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, nl); buffer = buffer.slice(nl + 1);
    if (line === "stop") server.close().then(() => process.exit(0));
  }
});
// The parent went away without stopping us: do not linger.
process.stdin.on("end", () => process.exit(0));
`;

/**
 * Starts s3rver 3.7.1 on 127.0.0.1 (a free port) in a child process started
 * with `NODE_OPTIONS=--openssl-legacy-provider` (needed on Node 20 for
 * paginated listings), with the given buckets. `stop()` ends it and removes
 * its data folder.
 */
export async function startS3Server(buckets: string[]): Promise<S3TestServer> {
  const require = createRequire(import.meta.url);
  const s3rverPath = require.resolve("s3rver");
  const dir = mkdtempSync(join(tmpdir(), "mw-s3rver-"));
  const child: ChildProcess = spawn(process.execPath, ["-e", CHILD, s3rverPath, dir, JSON.stringify(buckets)], {
    env: { ...process.env, NODE_OPTIONS: "--openssl-legacy-provider" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let pending = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (d: string) => {
    pending += d;
    let nl;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const early = lines.shift();
      if (early !== undefined) return resolve(early);
      child.once("exit", (code) => reject(new Error(`s3rver exited (${code})`)));
      waiters.push(resolve);
    });
  const { port } = JSON.parse(await nextLine()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const { S3Client, PutObjectCommand } = await import("@aws-sdk/client-s3");
  const client = new S3Client({ endpoint, forcePathStyle: true, region: "us-east-1", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
  return {
    endpoint,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    async put(bucket, key, body) {
      if (body instanceof Uint8Array) {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length }));
        return;
      }
      // A large (sparse) file is not uploaded: an empty object is put through the API, then its stored
      // bytes are replaced by a hard link to the file (s3rver reads sizes from the file; the ETag stays
      // the empty object's). Uploading 10 GB of holes would write 10 GB of zeros.
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: new Uint8Array(0), ContentLength: 0 }));
      const stored = join(dir, bucket, ...key.split("/").slice(0, -1), `${key.split("/").pop()}._S3rver_object`);
      rmSync(stored, { force: true });
      try {
        linkSync(body.diskPath, stored);
      } catch {
        await run("cp", ["--sparse=always", body.diskPath, stored]);
      }
    },
    async stop() {
      client.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.stdin!.write("stop\n");
        const timer = setTimeout(() => child.kill(), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
