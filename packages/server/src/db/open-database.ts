import { join } from "node:path";
import type { Database } from "./database.js";
import { migrate } from "./schema.js";
import { openPgliteDatabase } from "./pglite-database.js";
import { openPostgresDatabase } from "./postgres-database.js";

/**
 * Opens the store a URL names, and brings its schema up to date:
 * `postgres://…`/`postgresql://…` is a server; anything else is the embedded
 * store in `<dataDir>/db`.
 */
export async function openDatabase(options: { databaseUrl?: string; dataDir?: string; poolSize?: number }): Promise<Database> {
  let db: Database;
  if (options.databaseUrl && /^postgres(ql)?:\/\//i.test(options.databaseUrl)) db = await openPostgresDatabase(options.databaseUrl, options);
  else if (options.databaseUrl) throw new Error(`unsupported database URL (expected postgres://…): ${redactUrl(options.databaseUrl)}`);
  else if (options.dataDir) db = await openPgliteDatabase(join(options.dataDir, "db"));
  else throw new Error("give a data folder (embedded store) or a postgres:// database URL");
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

/** A database URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<unparsable URL>";
  }
}
