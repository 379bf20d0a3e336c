/**
 * The one SQL surface both stores offer. The embedded store (PGlite) and a
 * PostgreSQL server speak the same dialect, so every statement in this package
 * is written once and runs unchanged on both; only opening a connection differs.
 */
export interface Sql {
  /** Runs one parameterised statement (`$1`, `$2` …) and returns its rows. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/** A connection (pool) with transactions. */
export interface Database extends Sql {
  /** `embedded` (PGlite in a data folder) or `postgres` (a server reached by URL). */
  readonly kind: "embedded" | "postgres";
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Runs several statements separated by `;` (schema migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}
