import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { Database, Sql } from "./database.js";

/**
 * The embedded store: PostgreSQL compiled to WebAssembly (PGlite), its data
 * folder on disk. No server to run and no native build; the same SQL as the
 * PostgreSQL store, including `FOR UPDATE SKIP LOCKED` (trivially satisfied
 * here: PGlite has one connection, which also serialises the in-process worker
 * and the API).
 */
export async function openPgliteDatabase(dataFolder: string): Promise<Database> {
  mkdirSync(dataFolder, { recursive: true });
  const db = await PGlite.create(dataFolder);
  const wrap = (q: { query: PGlite["query"] }): Sql => ({
    async query<T>(text: string, params: unknown[] = []) {
      const result = await q.query<T>(text, params as never);
      return result.rows;
    },
  });
  return {
    kind: "embedded",
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx as never))),
    exec: async (script) => {
      await db.exec(script);
    },
    close: () => db.close(),
  };
}
