/**
 * JSON schemas of the API's bodies: the one source for request validation
 * (ajv) and for the OpenAPI document the server serves.
 */

const id = { type: "string", minLength: 1, maxLength: 64, pattern: "^[a-z]+_[0-9a-z]+$" } as const;
const name = { type: "string", minLength: 1, maxLength: 200 } as const;
const timestamp = { type: "string", format: "date-time" } as const;
const nullable = (schema: object) => ({ anyOf: [schema, { type: "null" }] });
const severity = { type: "string", enum: ["Alert", "Warning", "Pass"] } as const;

export const REQUEST_SCHEMAS = {
  RegisterModel: {
    type: "object",
    additionalProperties: false,
    required: ["name", "repo_type"],
    properties: {
      name,
      repo_type: { type: "string", enum: ["file", "huggingface", "github", "s3_bucket"] },
      repo_url: { type: "string", minLength: 1, maxLength: 2048, pattern: "^https?://" },
      branch_name: { type: "string", minLength: 1, maxLength: 255, pattern: "^[^\\s~^:?*\\[\\\\]+$" },
      depth: { type: "integer", minimum: 1, maximum: 1000 },
      model_id: { type: "string", minLength: 1, maxLength: 200, pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$" },
      revision: { type: "string", minLength: 1, maxLength: 255, pattern: "^[^\\s]+$" },
      bucket_name: { type: "string", minLength: 3, maxLength: 63, pattern: "^[a-z0-9][a-z0-9.-]*[a-z0-9]$" },
      region: { type: "string", minLength: 1, maxLength: 64, pattern: "^[a-z0-9-]+$" },
      prefix: { type: "string", maxLength: 1024 },
      integration_id: id,
    },
    allOf: [
      { if: { properties: { repo_type: { const: "huggingface" } } }, then: { required: ["model_id"] } },
      { if: { properties: { repo_type: { const: "github" } } }, then: { required: ["repo_url"] } },
      { if: { properties: { repo_type: { const: "s3_bucket" } } }, then: { required: ["bucket_name"] } },
    ],
  },
  StartFileScan: {
    type: "object",
    additionalProperties: false,
    required: ["model_id"],
    properties: {
      model_id: id,
      timeout_seconds: { type: "integer", minimum: 1, maximum: 86400 },
      ram_request_megabytes: { type: "integer", minimum: 1, maximum: 1048576 },
      ruleset: { type: "string", minLength: 1, maxLength: 214, pattern: "^(@[a-z0-9-]+/)?[a-z0-9][a-z0-9._:-]*$", description: "A ruleset id or package the server's config can load (never a path)" },
    },
  },
  CreateIntegration: {
    type: "object",
    additionalProperties: false,
    required: ["name", "kind"],
    properties: {
      name,
      kind: { type: "string", enum: ["huggingface", "aws", "github"] },
      token: { type: "string", minLength: 1, maxLength: 4096, writeOnly: true },
      access_key_id: { type: "string", minLength: 1, maxLength: 256, writeOnly: true },
      secret_access_key: { type: "string", minLength: 1, maxLength: 4096, writeOnly: true },
    },
    allOf: [
      { if: { properties: { kind: { const: "aws" } } }, then: { required: ["access_key_id", "secret_access_key"], not: { required: ["token"] } }, else: { required: ["token"], not: { anyOf: [{ required: ["access_key_id"] }, { required: ["secret_access_key"] }] } } },
    ],
  },
} as const;

export const RESPONSE_SCHEMAS = {
  Error: {
    type: "object",
    required: ["error"],
    properties: { error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "array", items: { type: "string" } } } } },
  },
  Project: { type: "object", required: ["id", "name", "created_at"], properties: { id, name, created_at: timestamp } },
  Integration: {
    type: "object",
    required: ["id", "project_id", "name", "kind", "public_fields", "has_secret", "created_at"],
    properties: { id, project_id: id, name, kind: { type: "string" }, public_fields: { type: "object", additionalProperties: { type: "string" } }, has_secret: { const: true }, created_at: timestamp },
    description: "Never carries the secret: it is write-only and encrypted at rest.",
  },
  LatestVerdict: {
    type: "object",
    required: ["scan_id", "status", "severity", "score", "finished_at"],
    properties: { scan_id: id, status: { type: "string" }, severity: nullable(severity), score: nullable({ type: "integer", minimum: 1, maximum: 3 }), finished_at: nullable(timestamp) },
  },
  Model: {
    type: "object",
    required: ["id", "project_id", "name", "repo_type", "integration_id", "created_at", "latest_scan"],
    properties: {
      id, project_id: id, name, repo_type: { type: "string" }, repo_url: { type: "string" }, branch_name: { type: "string" }, depth: { type: "integer" },
      model_id: { type: "string" }, revision: { type: "string" }, bucket_name: { type: "string" }, region: { type: "string" }, prefix: { type: "string" },
      integration_id: nullable(id), created_at: timestamp, latest_scan: nullable({ $ref: "#/components/schemas/LatestVerdict" }),
    },
  },
  ModelFile: { type: "object", required: ["path", "size", "sha256", "created_at"], properties: { path: { type: "string" }, size: { type: "integer" }, sha256: { type: "string" }, created_at: timestamp } },
  FileScan: {
    type: "object",
    required: ["id", "project_id", "model_id", "status", "progress", "attempts", "max_attempts", "error", "severity", "score", "created_at", "started_at", "finished_at"],
    properties: {
      id, project_id: id, model_id: id,
      status: { type: "string", enum: ["queued", "running", "succeeded", "failed", "cancelled"] },
      progress: nullable({ type: "object", required: ["files_done", "files_found"], properties: { files_done: { type: "integer" }, files_found: { type: "integer" }, current: { type: "string" } } }),
      attempts: { type: "integer" }, max_attempts: { type: "integer" }, error: nullable({ type: "string" }),
      severity: nullable(severity), score: nullable({ type: "integer", minimum: 1, maximum: 3 }), options: { type: "object" },
      created_at: timestamp, started_at: nullable(timestamp), finished_at: nullable(timestamp),
    },
  },
  FileScanResult: {
    type: "object",
    required: ["scan_id", "model_id", "severity", "score", "finished_at", "summary", "file_security_reports"],
    properties: {
      scan_id: id, model_id: id, severity, score: { type: "integer", minimum: 1, maximum: 3, description: "1 Pass, 2 Warning, 3 Alert" }, finished_at: timestamp,
      summary: { type: "object" },
      file_security_reports: {
        type: "array",
        items: {
          type: "object",
          required: ["file", "severity", "status", "size", "findings", "unsafe_dependencies"],
          properties: {
            file: { type: "string" }, severity, status: { type: "string" }, format: { type: "string" }, size: { type: "integer" }, findings: { type: "integer" },
            incomplete: { type: "array", items: { type: "string" } }, skip_reason: { type: "string" },
            unsafe_dependencies: {
              type: "array",
              items: {
                type: "object",
                required: ["name", "kind", "safety", "severity"],
                properties: { name: { type: "string" }, kind: { type: "string" }, safety: { type: "string", enum: ["dangerous", "unknown"] }, severity: { type: "string", enum: ["critical", "high", "medium", "low", "info"] }, members: { type: "array", items: { type: "string" } } },
              },
            },
          },
        },
      },
    },
  },
} as const;
