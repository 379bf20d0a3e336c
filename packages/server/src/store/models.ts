import type { RegisterModelInput, RepoType } from "@modelward/client";
import type { Sql } from "../db/database.js";
import { newId } from "../ids.js";

export type { RepoType } from "@modelward/client";

/** Where a model's files come from, in the platform's parameters (only the ones its repo_type uses are kept). */
export type ModelSource = Omit<RegisterModelInput, "name" | "repo_type" | "integration_id">;

/** The latest finished scan of a model, as a registry page shows it. */
export interface LatestVerdict {
  scan_id: string;
  status: string;
  severity: string | null;
  score: number | null;
  finished_at: string | null;
}

export interface ModelView extends ModelSource {
  id: string;
  project_id: string;
  name: string;
  repo_type: RepoType;
  integration_id: string | null;
  created_at: string;
  latest_scan: LatestVerdict | null;
}

interface Row {
  id: string;
  project_id: string;
  name: string;
  repo_type: RepoType;
  source: ModelSource;
  integration_id: string | null;
  created_at: Date;
  scan_id?: string | null;
  scan_status?: string | null;
  severity?: string | null;
  score?: number | null;
  finished_at?: Date | null;
}

const view = (r: Row): ModelView => ({
  id: r.id,
  project_id: r.project_id,
  name: r.name,
  repo_type: r.repo_type,
  ...r.source,
  integration_id: r.integration_id,
  created_at: r.created_at.toISOString(),
  latest_scan: r.scan_id
    ? { scan_id: r.scan_id, status: r.scan_status!, severity: r.severity ?? null, score: r.score ?? null, finished_at: r.finished_at?.toISOString() ?? null }
    : null,
});

// The latest *finished* scan of each model is a query, not a copy kept on the model.
const SELECT_WITH_LATEST = `
  select m.id, m.project_id, m.name, m.repo_type, m.source, m.integration_id, m.created_at,
         s.id as scan_id, s.status as scan_status, s.severity, s.score, s.finished_at
  from models m
  left join lateral (
    select id, status, severity, score, finished_at from file_scans
    where model_id = m.id and finished_at is not null
    order by finished_at desc, id desc limit 1
  ) s on true`;

export async function createModel(
  db: Sql,
  projectId: string,
  input: { name: string; repo_type: RepoType; source: ModelSource; integration_id?: string },
): Promise<ModelView> {
  const id = newId("mdl");
  await db.query("insert into models(id, project_id, name, repo_type, source, integration_id) values ($1, $2, $3, $4, $5, $6)", [
    id,
    projectId,
    input.name,
    input.repo_type,
    JSON.stringify(input.source),
    input.integration_id ?? null,
  ]);
  return (await getModel(db, projectId, id))!;
}

/** A model of the project, or undefined (another project's model is as unknown as a missing one). */
export async function getModel(db: Sql, projectId: string, id: string): Promise<ModelView | undefined> {
  const rows = await db.query<Row>(`${SELECT_WITH_LATEST} where m.project_id = $1 and m.id = $2`, [projectId, id]);
  return rows[0] ? view(rows[0]) : undefined;
}

/** The project's models with their latest verdict, newest first, optionally only those whose latest verdict is `severity`. */
export async function listModels(
  db: Sql,
  projectId: string,
  options: { severity?: string; limit: number; offset: number },
): Promise<ModelView[]> {
  const params: unknown[] = [projectId, options.limit, options.offset];
  let where = "where m.project_id = $1";
  if (options.severity) {
    params.push(options.severity);
    where += " and s.severity = $4";
  }
  const rows = await db.query<Row>(`${SELECT_WITH_LATEST} ${where} order by m.created_at desc, m.id desc limit $2 offset $3`, params);
  return rows.map(view);
}

export async function deleteModel(db: Sql, projectId: string, id: string): Promise<boolean> {
  return (await db.query("delete from models where project_id = $1 and id = $2 returning id", [projectId, id])).length > 0;
}

/** The model row a worker needs (any project). */
export async function modelForWorker(db: Sql, id: string): Promise<ModelView | undefined> {
  const rows = await db.query<Row>(`${SELECT_WITH_LATEST} where m.id = $1`, [id]);
  return rows[0] ? view(rows[0]) : undefined;
}
