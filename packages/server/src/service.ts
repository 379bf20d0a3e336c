import { join } from "node:path";
import type { Server } from "node:http";
import type { Database } from "./db/database.js";
import { openDatabase } from "./db/open-database.js";
import { createHttpServer, portOf } from "./http/server.js";
import type { ScanEngine } from "./jobs/scan-engine.js";
import { ScanWorker } from "./jobs/worker.js";
import { SecretBox, loadServerKey } from "./security/secret-box.js";
import type { NetworkPolicy } from "./security/ssrf-guard.js";
import type { ModelFetcher } from "./sources/model-sources.js";
import type { RepoType } from "./store/models.js";

/** Options of `modelward serve` and `modelward worker`. */
export interface ServiceOptions {
  /** Folder of the embedded store and the server key (default store when `databaseUrl` is not given). */
  dataDir?: string;
  /** `postgres://…`: a shared PostgreSQL store instead of the embedded one. */
  databaseUrl?: string;
  engine: ScanEngine;
  version: string;
  /** Environment (for `MODELWARD_SERVER_KEY`). */
  env?: NodeJS.ProcessEnv;
  /** Limits of requests and jobs. */
  limits?: { maxJsonBytes?: number; maxUploadBytes?: number; maxAttempts?: number };
  network?: NetworkPolicy;
  worker?: { concurrency?: number; leaseSeconds?: number; pollMs?: number; retainUploads?: boolean; memoryBudgetMegabytes?: number };
  fetchers?: Partial<Record<RepoType, ModelFetcher>>;
  log?: (line: string) => void;
  /** The built web console (`webConsoleAssetsDir` of `@modelward/web`), served at `/`; none when absent. */
  consoleAssetsDir?: string;
}

/** Defaults of {@link ServiceOptions.limits}: 64 KiB JSON bodies, 2 GiB uploads, 3 attempts per job. */
export const DEFAULT_LIMITS = { maxJsonBytes: 64 * 1024, maxUploadBytes: 2 * 1024 ** 3, maxAttempts: 3 };

/** A running API (and in-process worker). */
export interface RunningService {
  server: Server;
  worker?: ScanWorker;
  db: Database;
  url: string;
  close(): Promise<void>;
}

/** Opens the store and the server key. */
export async function openStore(o: Pick<ServiceOptions, "dataDir" | "databaseUrl" | "env">): Promise<{ db: Database; secrets: SecretBox }> {
  const secrets = new SecretBox(loadServerKey({ ...(o.env ? { env: o.env } : {}), ...(o.dataDir ? { keyFile: join(o.dataDir, "server.key") } : {}) }));
  const db = await openDatabase({ ...(o.dataDir ? { dataDir: o.dataDir } : {}), ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}) });
  return { db, secrets };
}

/**
 * `modelward serve`: the API on `host:port` plus, unless `withWorker` is
 * false, a worker in the same process. Listens on 127.0.0.1 unless told otherwise.
 */
export async function startService(o: ServiceOptions & { port?: number; host?: string; withWorker?: boolean }): Promise<RunningService> {
  const { db, secrets } = await openStore(o);
  const worker = o.withWorker === false ? undefined : new ScanWorker({ db, engine: o.engine, secrets, ...o.worker, ...(o.network ? { network: o.network } : {}), ...(o.fetchers ? { fetchers: o.fetchers } : {}), ...(o.log ? { log: o.log } : {}) });
  const server = createHttpServer(
    {
      db,
      engine: o.engine,
      secrets,
      version: o.version,
      network: o.network ?? {},
      limits: { ...DEFAULT_LIMITS, ...o.limits },
      ...(worker ? { onEnqueue: () => worker.wake() } : {}),
    },
    o.log,
    o.consoleAssetsDir ? { consoleAssetsDir: o.consoleAssetsDir } : {},
  );
  const host = o.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 8080, host, () => resolve());
  });
  worker?.start();
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    server,
    ...(worker ? { worker } : {}),
    db,
    url: `http://${shownHost}:${portOf(server)}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await worker?.stop();
      await db.close();
    },
  };
}

/** `modelward worker`: workers only, on a shared store. */
export async function startWorkers(o: ServiceOptions): Promise<{ worker: ScanWorker; db: Database; close(): Promise<void> }> {
  const { db, secrets } = await openStore(o);
  const worker = new ScanWorker({ db, engine: o.engine, secrets, ...o.worker, ...(o.network ? { network: o.network } : {}), ...(o.fetchers ? { fetchers: o.fetchers } : {}), ...(o.log ? { log: o.log } : {}) });
  worker.start();
  return {
    worker,
    db,
    async close() {
      await worker.stop();
      await db.close();
    },
  };
}
