import type { ScanReport } from "@modelward/core";
import type { Database } from "../db/database.js";
import { ApiError, badRequest, notFound } from "../http/api-error.js";
import { checkDeclaredLength, readJson, tooLarge, unreadOnStop } from "../http/body.js";
import type { Route, RouteContext } from "../http/router.js";
import { REPORT_FORMATS, type ReportFormat, type ScanEngine } from "../jobs/scan-engine.js";
import { cancelScan, enqueueScan, getResult, getScan, latestSucceededScan, listModelScans, type FileScanView } from "../jobs/queue.js";
import type { SecretBox } from "../security/secret-box.js";
import { assertReachable, type NetworkPolicy } from "../security/ssrf-guard.js";
import { createIntegration, deleteIntegration, getIntegration, listIntegrations, type IntegrationInput } from "../store/integrations.js";
import { UploadTooLarge, badModelPath, listModelFiles, storeModelFile } from "../store/model-files.js";
import { createModel, deleteModel, getModel, listModels, type ModelSource, type RepoType } from "../store/models.js";
import { getProject } from "../store/projects.js";
import { openApiDocument } from "./openapi.js";
import { validateBody, type RequestSchemaName } from "./validate.js";

/** The caller, once its API key is checked. */
export interface Auth {
  projectId: string;
  keyId: string;
}

/** What the routes need. */
export interface ApiDeps {
  db: Database;
  engine: ScanEngine;
  secrets: SecretBox;
  version: string;
  network: NetworkPolicy;
  limits: { maxJsonBytes: number; maxUploadBytes: number; maxAttempts: number };
  /** Called after a scan is queued (wakes an in-process worker). */
  onEnqueue?: () => void;
}

type Ctx = RouteContext<Auth>;

/** Every route of `/v1`. */
export function apiRoutes(d: ApiDeps): Route<Auth>[] {
  const body = async (ctx: Ctx, schema: RequestSchemaName) => {
    const parsed = await readJson(ctx.req, d.limits.maxJsonBytes);
    const problems = validateBody(schema, parsed);
    if (problems.length) throw badRequest(`the body does not match ${schema}`, problems);
    return parsed as Record<string, unknown>;
  };
  const model = async (ctx: Ctx) => {
    const m = await getModel(d.db, ctx.auth.projectId, ctx.params.modelId!);
    if (!m) throw notFound("model");
    return m;
  };
  const scan = async (ctx: Ctx) => {
    const s = await getScan(d.db, ctx.auth.projectId, ctx.params.scanId!);
    if (!s) throw notFound("file scan");
    return s;
  };
  const result = async (ctx: Ctx, s: FileScanView) => {
    if (s.status !== "succeeded") throw new ApiError(409, "not_finished", `the scan has no result: it is ${s.status}${s.error ? ` (${s.error})` : ""}`);
    const stored = await getResult(d.db, s.id);
    if (!stored) throw new ApiError(500, "result_missing", "the scan succeeded but its result is missing");
    const format = ctx.query.get("format");
    if (format === null) return { status: 200, body: stored.platform };
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw badRequest(`format must be one of ${REPORT_FORMATS.join(", ")}`);
    const text = await d.engine.render(stored.report as ScanReport, format as ReportFormat);
    return { status: 200, body: text, type: format === "sarif" ? "application/sarif+json" : format === "cyclonedx" ? "application/vnd.cyclonedx+json" : "application/json" };
  };
  const intParam = (ctx: Ctx, name: string, def: number, min: number, max: number) => {
    const raw = ctx.query.get(name);
    if (raw === null) return def;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) throw badRequest(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };

  return [
    { method: "GET", pattern: "/v1/health", public: true, handler: async () => ({ status: 200, body: { status: "ok", version: d.version, store: d.db.kind } }) },
    { method: "GET", pattern: "/v1/openapi.json", public: true, handler: async () => ({ status: 200, body: openApiDocument(d.version) }) },
    {
      method: "GET",
      pattern: "/v1/projects",
      handler: async (ctx) => {
        const p = await getProject(d.db, ctx.auth.projectId);
        return { status: 200, body: p ? [{ id: p.id, name: p.name, created_at: p.created_at.toISOString() }] : [] };
      },
    },
    { method: "GET", pattern: "/v1/integrations", handler: async (ctx) => ({ status: 200, body: await listIntegrations(d.db, ctx.auth.projectId) }) },
    {
      method: "POST",
      pattern: "/v1/integrations",
      handler: async (ctx) => {
        const input = (await body(ctx, "CreateIntegration")) as unknown as IntegrationInput;
        return { status: 201, body: await createIntegration(d.db, d.secrets, ctx.auth.projectId, input) };
      },
    },
    {
      method: "GET",
      pattern: "/v1/integrations/:integrationId",
      handler: async (ctx) => {
        const i = await getIntegration(d.db, ctx.auth.projectId, ctx.params.integrationId!);
        if (!i) throw notFound("integration");
        return { status: 200, body: i };
      },
    },
    {
      method: "DELETE",
      pattern: "/v1/integrations/:integrationId",
      handler: async (ctx) => {
        let deleted: boolean;
        try {
          deleted = await deleteIntegration(d.db, ctx.auth.projectId, ctx.params.integrationId!);
        } catch {
          throw new ApiError(409, "in_use", "a model uses this integration: delete the model first");
        }
        if (!deleted) throw notFound("integration");
        return { status: 204 };
      },
    },
    {
      method: "GET",
      pattern: "/v1/models",
      handler: async (ctx) => {
        const severity = ctx.query.get("severity");
        if (severity !== null && !["Alert", "Warning", "Pass"].includes(severity)) throw badRequest("severity must be Alert, Warning or Pass");
        const models = await listModels(d.db, ctx.auth.projectId, {
          ...(severity ? { severity } : {}),
          limit: intParam(ctx, "limit", 100, 1, 500),
          offset: intParam(ctx, "offset", 0, 0, 1e9),
        });
        return { status: 200, body: models };
      },
    },
    {
      method: "POST",
      pattern: "/v1/models",
      handler: async (ctx) => {
        const b = await body(ctx, "RegisterModel");
        const repoType = b.repo_type as RepoType;
        const source = sourceOf(repoType, b);
        if (source.repo_url) {
          try {
            await assertReachable(source.repo_url, d.network);
          } catch (error) {
            throw badRequest(`repo_url refused: ${(error as Error).message}`);
          }
        }
        const integrationId = b.integration_id as string | undefined;
        if (integrationId && !(await getIntegration(d.db, ctx.auth.projectId, integrationId))) throw notFound("integration");
        const created = await createModel(d.db, ctx.auth.projectId, {
          name: b.name as string,
          repo_type: repoType,
          source,
          ...(integrationId ? { integration_id: integrationId } : {}),
        });
        return { status: 201, body: created };
      },
    },
    { method: "GET", pattern: "/v1/models/:modelId", handler: async (ctx) => ({ status: 200, body: await model(ctx) }) },
    {
      method: "DELETE",
      pattern: "/v1/models/:modelId",
      handler: async (ctx) => {
        if (!(await deleteModel(d.db, ctx.auth.projectId, ctx.params.modelId!))) throw notFound("model");
        return { status: 204 };
      },
    },
    {
      method: "GET",
      pattern: "/v1/models/:modelId/files",
      handler: async (ctx) => ({ status: 200, body: await listModelFiles(d.db, (await model(ctx)).id) }),
    },
    {
      method: "PUT",
      pattern: "/v1/models/:modelId/files/*path",
      handler: async (ctx) => {
        const m = await model(ctx);
        if (m.repo_type !== "file") throw new ApiError(409, "not_a_file_model", `files are uploaded to repo_type "file" models; this one is "${m.repo_type}"`);
        const path = ctx.params.path!;
        const bad = badModelPath(path);
        if (bad) throw badRequest(bad);
        checkDeclaredLength(ctx.req, d.limits.maxUploadBytes);
        try {
          return { status: 201, body: await storeModelFile(d.db, m.id, path, unreadOnStop(ctx.req), d.limits.maxUploadBytes) };
        } catch (error) {
          if (error instanceof UploadTooLarge) throw tooLarge(error.limit);
          throw error;
        }
      },
    },
    {
      method: "GET",
      pattern: "/v1/models/:modelId/file-scans",
      handler: async (ctx) => ({ status: 200, body: await listModelScans(d.db, ctx.auth.projectId, (await model(ctx)).id, intParam(ctx, "limit", 50, 1, 500)) }),
    },
    {
      method: "GET",
      pattern: "/v1/models/:modelId/file-scans/latest",
      handler: async (ctx) => {
        const m = await model(ctx);
        const s = await latestSucceededScan(d.db, ctx.auth.projectId, m.id);
        if (!s) throw notFound("a succeeded scan of this model");
        return result(ctx, s);
      },
    },
    {
      method: "POST",
      pattern: "/v1/file-scans",
      handler: async (ctx) => {
        const b = await body(ctx, "StartFileScan");
        const m = await getModel(d.db, ctx.auth.projectId, b.model_id as string);
        if (!m) throw notFound("model");
        const { model_id: _, ...options } = b;
        const queued = await enqueueScan(d.db, ctx.auth.projectId, m.id, options, d.limits.maxAttempts);
        d.onEnqueue?.();
        return { status: 202, body: queued };
      },
    },
    { method: "GET", pattern: "/v1/file-scans/:scanId", handler: async (ctx) => ({ status: 200, body: await scan(ctx) }) },
    {
      method: "POST",
      pattern: "/v1/file-scans/:scanId/cancel",
      handler: async (ctx) => {
        await scan(ctx);
        return { status: 200, body: await cancelScan(d.db, ctx.auth.projectId, ctx.params.scanId!) };
      },
    },
    { method: "GET", pattern: "/v1/file-scans/:scanId/result", handler: async (ctx) => result(ctx, await scan(ctx)) },
  ];
}

/** Keeps the source parameters a repo type uses, with the platform's defaults (`branch_name` main, `depth` 1). */
function sourceOf(type: RepoType, b: Record<string, unknown>): ModelSource {
  const s = b as ModelSource;
  switch (type) {
    case "file":
      return {};
    case "huggingface":
      return { model_id: s.model_id!, revision: s.revision ?? "main", ...(s.repo_url ? { repo_url: s.repo_url } : {}) };
    case "github":
      return { repo_url: s.repo_url!, branch_name: s.branch_name ?? "main", depth: s.depth ?? 1 };
    case "s3_bucket":
      return { bucket_name: s.bucket_name!, ...(s.region ? { region: s.region } : {}), ...(s.prefix ? { prefix: s.prefix } : {}) };
  }
}

