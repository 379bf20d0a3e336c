import { resolve } from "node:path";
import { ModelwardError } from "@modelward/core";
import { createApiKey, ensureProject, openStore, redactUrl, startService, startWorkers } from "@modelward/server";
import { webConsoleAssetsDir } from "@modelward/web";
import { EXIT, type CliIO } from "../io.js";
import { serviceEngine } from "../service-engine.js";
import { VERSION } from "../version.js";

/** Options shared by `serve`, `serve keys create` and `worker`. */
export interface StoreArgs {
  dataDir?: string;
  database?: string;
  config?: string;
}

export interface ServeArgs extends StoreArgs {
  port: number;
  host: string;
  workers: number;
  apiOnly?: boolean;
  maxUploadMb?: number;
  retainUploads?: boolean;
  allowPrivateNetworks?: boolean;
  leaseSeconds?: number;
  memoryBudgetMb?: number;
  /** `--no-console`: the API only, no web console at `/`. */
  console?: boolean;
}

/** Worker options shared by `serve` and `worker`. */
type WorkerArgs = Pick<ServeArgs, "workers" | "retainUploads" | "leaseSeconds" | "memoryBudgetMb">;

function workerOf(args: WorkerArgs) {
  if (args.memoryBudgetMb !== undefined && !(Number.isSafeInteger(args.memoryBudgetMb) && args.memoryBudgetMb > 0))
    throw new ModelwardError("MW_USAGE", `--memory-budget-mb must be a positive integer (got ${args.memoryBudgetMb})`);
  return {
    concurrency: args.workers,
    retainUploads: args.retainUploads === true,
    ...(args.leaseSeconds ? { leaseSeconds: args.leaseSeconds } : {}),
    ...(args.memoryBudgetMb !== undefined ? { memoryBudgetMegabytes: args.memoryBudgetMb } : {}),
  };
}

function storeOf(args: StoreArgs, io: CliIO) {
  if (!args.database && !args.dataDir) throw new ModelwardError("MW_USAGE", "give --data-dir (embedded store) or --database postgres://…");
  return {
    ...(args.dataDir ? { dataDir: resolve(io.cwd, args.dataDir) } : {}),
    ...(args.database ? { databaseUrl: args.database } : {}),
    env: io.env as NodeJS.ProcessEnv,
  };
}

/** Waits for SIGINT/SIGTERM, then closes. */
function untilSignal(close: () => Promise<void>): Promise<number> {
  return new Promise((done) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void close().then(() => done(EXIT.clean));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

const logTo = (io: CliIO) => (line: string) => io.stderr.write(`${new Date().toISOString()} ${line}\n`);

/** `modelward serve`: the API and an in-process worker, until SIGINT/SIGTERM. */
export async function serveCommand(args: ServeArgs, io: CliIO): Promise<number> {
  const engine = await serviceEngine(io, args.config);
  const service = await startService({
    ...storeOf(args, io),
    engine,
    version: VERSION,
    port: args.port,
    host: args.host,
    withWorker: !args.apiOnly,
    limits: { ...(args.maxUploadMb ? { maxUploadBytes: args.maxUploadMb * 1024 * 1024 } : {}) },
    network: { allowPrivateNetworks: args.allowPrivateNetworks === true },
    worker: workerOf(args),
    log: logTo(io),
    ...(args.console === false ? {} : { consoleAssetsDir: webConsoleAssetsDir }),
  });
  io.stderr.write(
    `modelward: serving ${service.url}/v1 (${service.db.kind} store${args.database ? ` ${redactUrl(args.database)}` : ""}${args.apiOnly ? ", no worker" : ""})${args.console === false ? "" : `, web console ${service.url}/`}\n`,
  );
  return untilSignal(() => service.close());
}

/** `modelward worker`: workers only, on a shared PostgreSQL store. */
export async function workerCommand(args: StoreArgs & WorkerArgs & { allowPrivateNetworks?: boolean }, io: CliIO): Promise<number> {
  if (!args.database) throw new ModelwardError("MW_USAGE", "a worker needs --database postgres://… (the embedded store belongs to its server process)");
  const engine = await serviceEngine(io, args.config);
  const running = await startWorkers({
    ...storeOf(args, io),
    engine,
    version: VERSION,
    network: { allowPrivateNetworks: args.allowPrivateNetworks === true },
    worker: workerOf(args),
    log: logTo(io),
  });
  io.stderr.write(`modelward: worker ${running.worker.id} on ${redactUrl(args.database)}\n`);
  return untilSignal(() => running.close());
}

/** `modelward serve keys create`: prints a new API key for a project (created when missing). */
export async function keysCreateCommand(args: StoreArgs & { project: string; name?: string }, io: CliIO): Promise<number> {
  const { db } = await openStore(storeOf(args, io));
  try {
    const project = await ensureProject(db, args.project);
    const key = await createApiKey(db, project.id, args.name);
    io.stdout.write(`${key.key}\n`);
    io.stderr.write(`modelward: API key ${key.prefix}… for project "${project.name}" (${project.id}); it is shown only once\n`);
    return EXIT.clean;
  } finally {
    await db.close();
  }
}
