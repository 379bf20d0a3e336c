import { REQUEST_SCHEMAS, RESPONSE_SCHEMAS } from "./schemas.js";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { "application/json": { schema } } });
const ok = (description: string, schema?: object) => ({ description, ...(schema ? json(schema) : {}) });
const errors = {
  "400": ok("Malformed JSON, a body that does not match its schema, or a bad parameter", ref("Error")),
  "401": ok("No API key, or an unknown or revoked one", ref("Error")),
  "404": ok("Unknown, or belongs to another project", ref("Error")),
  "413": ok("The body is larger than the server's limit", ref("Error")),
};
const idParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string" } });
const formatParam = {
  name: "format",
  in: "query",
  required: false,
  schema: { type: "string", enum: ["json", "sarif", "cyclonedx"] },
  description: "Without it: the platform view (FileScanResult). json: the full ScanReport; sarif: SARIF 2.1.0; cyclonedx: a CycloneDX 1.6 ML-BOM.",
};

/** The OpenAPI 3.1 document of `/v1`, served at `GET /v1/openapi.json`. */
export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Modelward scan service",
      version,
      description: "Register models, upload their files, run file scans, read results. Every route but this document and /v1/health needs `Authorization: Bearer <API key>`; a key sees its own project only.",
    },
    servers: [{ url: "/" }],
    security: [{ apiKey: [] }],
    paths: {
      "/v1/health": { get: { security: [], summary: "Liveness", responses: { "200": ok("Up") } } },
      "/v1/openapi.json": { get: { security: [], summary: "This document", responses: { "200": ok("OpenAPI 3.1") } } },
      "/v1/projects": { get: { summary: "Projects the key may act on", responses: { "200": ok("Projects", { type: "array", items: ref("Project") }), ...errors } } },
      "/v1/integrations": {
        get: { summary: "Integrations of the project (secrets never returned)", responses: { "200": ok("Integrations", { type: "array", items: ref("Integration") }), ...errors } },
        post: { summary: "Create an integration (secret write-only, encrypted at rest)", requestBody: { required: true, ...json(ref("CreateIntegration")) }, responses: { "201": ok("Created", ref("Integration")), ...errors } },
      },
      "/v1/integrations/{integrationId}": {
        parameters: [idParam("integrationId")],
        get: { summary: "One integration", responses: { "200": ok("Integration", ref("Integration")), ...errors } },
        delete: { summary: "Delete an integration no model uses", responses: { "204": ok("Deleted"), "409": ok("A model uses it", ref("Error")), ...errors } },
      },
      "/v1/models": {
        get: {
          summary: "Models of the project with their latest verdict",
          parameters: [
            { name: "severity", in: "query", schema: { type: "string", enum: ["Alert", "Warning", "Pass"] } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 100 } },
            { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
          ],
          responses: { "200": ok("Models", { type: "array", items: ref("Model") }), ...errors },
        },
        post: { summary: "Register a model", requestBody: { required: true, ...json(ref("RegisterModel")) }, responses: { "201": ok("Registered", ref("Model")), ...errors } },
      },
      "/v1/models/{modelId}": {
        parameters: [idParam("modelId")],
        get: { summary: "One model", responses: { "200": ok("Model", ref("Model")), ...errors } },
        delete: { summary: "Delete a model, its files and scans", responses: { "204": ok("Deleted"), ...errors } },
      },
      "/v1/models/{modelId}/files": {
        parameters: [idParam("modelId")],
        get: { summary: "Uploaded files of a repo_type file model", responses: { "200": ok("Files", { type: "array", items: ref("ModelFile") }), ...errors } },
      },
      "/v1/models/{modelId}/files/{path}": {
        parameters: [idParam("modelId"), { name: "path", in: "path", required: true, schema: { type: "string" }, description: "Relative path, segments URL-encoded" }],
        put: {
          summary: "Upload (or replace) one file, streamed, size-limited",
          requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
          responses: { "201": ok("Stored", ref("ModelFile")), "409": ok("Not a repo_type file model", ref("Error")), ...errors },
        },
      },
      "/v1/models/{modelId}/file-scans": {
        parameters: [idParam("modelId")],
        get: { summary: "Scan history of a model, newest first", responses: { "200": ok("Scans", { type: "array", items: ref("FileScan") }), ...errors } },
      },
      "/v1/models/{modelId}/file-scans/latest": {
        parameters: [idParam("modelId"), formatParam],
        get: { summary: "Result of the model's latest succeeded scan", responses: { "200": ok("Result", ref("FileScanResult")), ...errors } },
      },
      "/v1/file-scans": {
        post: { summary: "Start a file scan", requestBody: { required: true, ...json(ref("StartFileScan")) }, responses: { "202": ok("Queued", ref("FileScan")), ...errors } },
      },
      "/v1/file-scans/{scanId}": {
        parameters: [idParam("scanId")],
        get: { summary: "Status and progress", responses: { "200": ok("Scan", ref("FileScan")), ...errors } },
      },
      "/v1/file-scans/{scanId}/cancel": {
        parameters: [idParam("scanId")],
        post: { summary: "Cancel a queued or running scan", responses: { "200": ok("Scan", ref("FileScan")), ...errors } },
      },
      "/v1/file-scans/{scanId}/result": {
        parameters: [idParam("scanId"), formatParam],
        get: { summary: "Result of a succeeded scan", responses: { "200": ok("Result", ref("FileScanResult")), "409": ok("Not succeeded (yet)", ref("Error")), ...errors } },
      },
    },
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key from `modelward serve keys create`" } },
      schemas: { ...REQUEST_SCHEMAS, ...RESPONSE_SCHEMAS },
    },
  };
}
