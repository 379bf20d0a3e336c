import type { Sql } from "../db/database.js";
import { newId } from "../ids.js";
import { generateApiKey, hashApiKey } from "../security/api-keys.js";

export interface ProjectRow {
  id: string;
  name: string;
  created_at: Date;
}

/** The project named `name`, created when missing. */
export async function ensureProject(db: Sql, name: string): Promise<ProjectRow> {
  await db.query("insert into projects(id, name) values ($1, $2) on conflict (name) do nothing", [newId("prj"), name]);
  const rows = await db.query<ProjectRow>("select id, name, created_at from projects where name = $1", [name]);
  return rows[0]!;
}

export async function getProject(db: Sql, id: string): Promise<ProjectRow | undefined> {
  return (await db.query<ProjectRow>("select id, name, created_at from projects where id = $1", [id]))[0];
}

/** Creates an API key scoped to one project; the key itself is returned once and never stored. */
export async function createApiKey(db: Sql, projectId: string, name?: string): Promise<{ id: string; key: string; prefix: string }> {
  const { key, hash, prefix } = generateApiKey();
  const id = newId("key");
  await db.query("insert into api_keys(id, project_id, key_hash, prefix, name) values ($1, $2, $3, $4, $5)", [id, projectId, hash, prefix, name ?? null]);
  return { id, key, prefix };
}

/** The project a presented key may act on, or undefined for an unknown or revoked key. */
export async function authenticate(db: Sql, key: string): Promise<{ keyId: string; projectId: string } | undefined> {
  const rows = await db.query<{ id: string; project_id: string }>(
    "select id, project_id from api_keys where key_hash = $1 and revoked_at is null",
    [hashApiKey(key)],
  );
  const row = rows[0];
  return row ? { keyId: row.id, projectId: row.project_id } : undefined;
}
