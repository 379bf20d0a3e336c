import type { Database } from "./database.js";

/**
 * Schema migrations, applied in order, each once (recorded in `mw_migrations`).
 * Append new entries; never edit an applied one. Times are `timestamptz`,
 * sizes `bigint`, free-form documents `jsonb`.
 */
const MIGRATIONS: string[] = [
  `
  create table projects (
    id text primary key,
    name text not null unique,
    created_at timestamptz not null default now()
  );
  create table api_keys (
    id text primary key,
    project_id text not null references projects(id) on delete cascade,
    key_hash text not null unique,
    prefix text not null,
    name text,
    created_at timestamptz not null default now(),
    revoked_at timestamptz
  );
  create table integrations (
    id text primary key,
    project_id text not null references projects(id) on delete cascade,
    name text not null,
    kind text not null,
    secret_ciphertext bytea not null,
    public_fields jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now()
  );
  create table models (
    id text primary key,
    project_id text not null references projects(id) on delete cascade,
    name text not null,
    repo_type text not null,
    source jsonb not null,
    integration_id text references integrations(id) on delete restrict,
    created_at timestamptz not null default now()
  );
  create index models_project on models(project_id, created_at);
  create table model_files (
    id text primary key,
    model_id text not null references models(id) on delete cascade,
    path text not null,
    size bigint not null,
    sha256 text not null,
    complete boolean not null default false,
    created_at timestamptz not null default now()
  );
  create unique index model_files_path on model_files(model_id, path) where complete;
  create table model_file_chunks (
    file_id text not null references model_files(id) on delete cascade,
    seq integer not null,
    data bytea not null,
    primary key (file_id, seq)
  );
  create table file_scans (
    id text primary key,
    project_id text not null references projects(id) on delete cascade,
    model_id text not null references models(id) on delete cascade,
    status text not null,
    options jsonb not null default '{}'::jsonb,
    progress jsonb,
    attempts integer not null default 0,
    max_attempts integer not null,
    run_token text,
    locked_by text,
    locked_until timestamptz,
    cancel_requested boolean not null default false,
    error text,
    severity text,
    score integer,
    completions integer not null default 0,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz
  );
  create index file_scans_queue on file_scans(status, created_at);
  create index file_scans_model on file_scans(model_id, finished_at);
  create table file_scan_results (
    scan_id text primary key references file_scans(id) on delete cascade,
    platform jsonb not null,
    report jsonb not null
  );
  `,
];

/** Brings the schema up to date; safe to run from several processes at once (an advisory lock serialises them). */
export async function migrate(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(734201)");
    await tx.query("create table if not exists mw_migrations (version integer primary key, applied_at timestamptz not null default now())");
    const rows = await tx.query<{ v: number | null }>("select max(version) as v from mw_migrations");
    const current = rows[0]?.v ?? 0;
    for (let v = current; v < MIGRATIONS.length; v++) {
      for (const statement of MIGRATIONS[v]!.split(";").map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      await tx.query("insert into mw_migrations(version) values ($1)", [v + 1]);
    }
  });
}
