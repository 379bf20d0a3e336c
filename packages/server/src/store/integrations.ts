import type { Sql } from "../db/database.js";
import { newId } from "../ids.js";
import type { SecretBox } from "../security/secret-box.js";

export const INTEGRATION_KINDS = ["huggingface", "aws", "github"] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/** An integration as the API shows it: never its secret. */
export interface IntegrationView {
  id: string;
  project_id: string;
  name: string;
  kind: IntegrationKind;
  /** Non-secret fields (the AWS access key id's first characters, …) and whether a secret is set. */
  public_fields: Record<string, string>;
  has_secret: true;
  created_at: string;
}

/** What a caller sends: the secret parts are sealed before they reach the database. */
export interface IntegrationInput {
  name: string;
  kind: IntegrationKind;
  token?: string;
  access_key_id?: string;
  secret_access_key?: string;
}

interface Row {
  id: string;
  project_id: string;
  name: string;
  kind: IntegrationKind;
  public_fields: Record<string, string>;
  created_at: Date;
}

const view = (r: Row): IntegrationView => ({ ...r, has_secret: true, created_at: r.created_at.toISOString() });

export async function createIntegration(db: Sql, box: SecretBox, projectId: string, input: IntegrationInput): Promise<IntegrationView> {
  const id = newId("int");
  const secret =
    input.kind === "aws"
      ? JSON.stringify({ access_key_id: input.access_key_id, secret_access_key: input.secret_access_key })
      : JSON.stringify({ token: input.token });
  // Only a recognisable, non-usable hint is kept in clear: the first 4 characters.
  const hint = (input.kind === "aws" ? input.access_key_id : input.token) ?? "";
  const publicFields = { hint: `${hint.slice(0, 4)}…`, length: String(hint.length) };
  const rows = await db.query<Row>(
    `insert into integrations(id, project_id, name, kind, secret_ciphertext, public_fields) values ($1, $2, $3, $4, $5, $6)
     returning id, project_id, name, kind, public_fields, created_at`,
    [id, projectId, input.name, input.kind, box.seal(secret, id), JSON.stringify(publicFields)],
  );
  return view(rows[0]!);
}

export async function listIntegrations(db: Sql, projectId: string): Promise<IntegrationView[]> {
  const rows = await db.query<Row>(
    "select id, project_id, name, kind, public_fields, created_at from integrations where project_id = $1 order by created_at, id",
    [projectId],
  );
  return rows.map(view);
}

export async function getIntegration(db: Sql, projectId: string, id: string): Promise<IntegrationView | undefined> {
  const rows = await db.query<Row>(
    "select id, project_id, name, kind, public_fields, created_at from integrations where project_id = $1 and id = $2",
    [projectId, id],
  );
  return rows[0] ? view(rows[0]) : undefined;
}

/** Deletes an integration; false when it is unknown, throws when a model still uses it. */
export async function deleteIntegration(db: Sql, projectId: string, id: string): Promise<boolean> {
  const rows = await db.query("delete from integrations where project_id = $1 and id = $2 returning id", [projectId, id]);
  return rows.length > 0;
}

/** The decrypted secret, for a worker reaching a private source only. */
export async function integrationSecret(db: Sql, box: SecretBox, id: string): Promise<Record<string, string>> {
  const rows = await db.query<{ secret_ciphertext: Uint8Array }>("select secret_ciphertext from integrations where id = $1", [id]);
  if (!rows[0]) throw new Error(`integration ${id} no longer exists`);
  return JSON.parse(box.open(rows[0].secret_ciphertext, id)) as Record<string, string>;
}

/** An integration's kind with its decrypted secret, for a worker choosing how to reach a private source. */
export async function integrationCredentials(db: Sql, box: SecretBox, id: string): Promise<{ kind: IntegrationKind; secret: Record<string, string> }> {
  const rows = await db.query<{ kind: IntegrationKind }>("select kind from integrations where id = $1", [id]);
  if (!rows[0]) throw new Error(`integration ${id} no longer exists`);
  return { kind: rows[0].kind, secret: await integrationSecret(db, box, id) };
}
