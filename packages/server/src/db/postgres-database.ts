import pg from "pg";
import type { Database, Sql } from "./database.js";

// BIGINT (sizes, counts) as numbers: every value this package stores in one is far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/** A PostgreSQL server reached by a `postgres://` URL, through a small connection pool. */
export async function openPostgresDatabase(url: string, options: { poolSize?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 5 });
  // A pool client that errors while idle (the server restarted) must not crash the process.
  pool.on("error", () => undefined);
  await pool.query("select 1");
  const wrap = (c: { query: pg.Pool["query"] }): Sql => ({
    async query<T>(text: string, params: unknown[] = []) {
      const result = await c.query(text, params);
      return result.rows as T[];
    },
  });
  return {
    kind: "postgres",
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const out = await fn(wrap(client as never));
        await client.query("commit");
        return out;
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (script) => {
      await pool.query(script);
    },
    close: () => pool.end(),
  };
}
