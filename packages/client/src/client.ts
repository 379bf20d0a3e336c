import { ModelwardApiError } from "./api-error.js";
import { FileScanJob } from "./file-scan-job.js";
import type {
  FileScanResult,
  FileScanStatus,
  Integration,
  IntegrationInput,
  Model,
  ModelFile,
  PlatformSeverity,
  Project,
  RegisterModelInput,
  ReportFormat,
} from "./types.js";

export interface ModelwardClientOptions {
  /** The service, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** A key from `modelward serve keys create`. */
  apiKey: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

/** What an upload can be made of: bytes, a Blob, or a stream of byte chunks (sent without buffering). */
export type UploadBody = Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Options of {@link ModelwardClient.startFileScan}. */
export interface StartFileScanInput {
  modelId: string;
  timeoutSeconds?: number;
  ramRequestMegabytes?: number;
  /** A ruleset id or package the server's config can load. */
  ruleset?: string;
}

/**
 * Typed client of the Modelward scan service (`/v1`).
 *
 * ```ts
 * const client = new ModelwardClient({ url: "http://127.0.0.1:8080", apiKey });
 * const model = await client.registerModel({ name: "demo", repo_type: "file" });
 * await client.uploadModelFile(model.id, "pytorch_model.bin", bytes);
 * const job = await client.startFileScan({ modelId: model.id });
 * await job.getStatus({ waitUntilFinish: true });
 * const result = await client.getFileScanResult(job.jobId);
 * ```
 */
export class ModelwardClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ModelwardClientOptions) {
    if (!options.apiKey) throw new Error("ModelwardClient needs an apiKey");
    this.base = options.url.replace(/\/+$/, "");
    this.fetchImpl = options.fetch ?? fetch;
  }

  listProjects(): Promise<Project[]> {
    return this.json("GET", "/v1/projects");
  }

  registerModel(input: RegisterModelInput): Promise<Model> {
    return this.json("POST", "/v1/models", input);
  }

  getModel(modelId: string): Promise<Model> {
    return this.json("GET", `/v1/models/${seg(modelId)}`);
  }

  /** Models with their latest verdict, newest first. */
  listModels(options: { severity?: PlatformSeverity; limit?: number; offset?: number } = {}): Promise<Model[]> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(options)) if (v !== undefined) q.set(k, String(v));
    return this.json("GET", `/v1/models${q.size ? `?${q}` : ""}`);
  }

  async deleteModel(modelId: string): Promise<void> {
    await this.request("DELETE", `/v1/models/${seg(modelId)}`);
  }

  /** Uploads (or replaces) one file of a `repo_type: file` model; `path` is relative, `/`-separated. */
  async uploadModelFile(modelId: string, path: string, body: UploadBody): Promise<ModelFile> {
    const encoded = path.split("/").map(seg).join("/");
    const res = await this.request("PUT", `/v1/models/${seg(modelId)}/files/${encoded}`, toBody(body), "application/octet-stream");
    return (await res.json()) as ModelFile;
  }

  listModelFiles(modelId: string): Promise<ModelFile[]> {
    return this.json("GET", `/v1/models/${seg(modelId)}/files`);
  }

  async startFileScan(input: StartFileScanInput): Promise<FileScanJob> {
    const status = await this.json<FileScanStatus>("POST", "/v1/file-scans", {
      model_id: input.modelId,
      ...(input.timeoutSeconds !== undefined ? { timeout_seconds: input.timeoutSeconds } : {}),
      ...(input.ramRequestMegabytes !== undefined ? { ram_request_megabytes: input.ramRequestMegabytes } : {}),
      ...(input.ruleset !== undefined ? { ruleset: input.ruleset } : {}),
    });
    return new FileScanJob(this, status.id);
  }

  /** A handle on an existing scan. */
  fileScan(jobId: string): FileScanJob {
    return new FileScanJob(this, jobId);
  }

  getFileScan(jobId: string): Promise<FileScanStatus> {
    return this.json("GET", `/v1/file-scans/${seg(jobId)}`);
  }

  cancelFileScan(jobId: string): Promise<FileScanStatus> {
    return this.json("POST", `/v1/file-scans/${seg(jobId)}/cancel`);
  }

  listModelFileScans(modelId: string): Promise<FileScanStatus[]> {
    return this.json("GET", `/v1/models/${seg(modelId)}/file-scans`);
  }

  /** The platform view of a succeeded scan (severity, score, file_security_reports). */
  getFileScanResult(jobId: string): Promise<FileScanResult> {
    return this.json("GET", `/v1/file-scans/${seg(jobId)}/result`);
  }

  /** The full report of a succeeded scan as JSON (the ScanReport), SARIF or CycloneDX text. */
  async getFileScanReport(jobId: string, format: ReportFormat): Promise<string> {
    return (await this.request("GET", `/v1/file-scans/${seg(jobId)}/result?format=${format}`)).text();
  }

  /** The result of the model's latest succeeded scan. */
  getLatestFileScan(modelId: string): Promise<FileScanResult> {
    return this.json("GET", `/v1/models/${seg(modelId)}/file-scans/latest`);
  }

  createIntegration(input: IntegrationInput): Promise<Integration> {
    return this.json("POST", "/v1/integrations", input);
  }

  listIntegrations(): Promise<Integration[]> {
    return this.json("GET", "/v1/integrations");
  }

  async deleteIntegration(id: string): Promise<void> {
    await this.request("DELETE", `/v1/integrations/${seg(id)}`);
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : "application/json");
    return (await res.json()) as T;
  }

  private async request(method: string, path: string, body?: RequestBody, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}`, accept: "application/json" };
    if (contentType) headers["content-type"] = contentType;
    const init: RequestInit & { duplex?: "half" } = { method, headers };
    if (body !== undefined) {
      init.body = body;
      // A streamed body needs half-duplex in Node's fetch.
      if (typeof body === "object" && body !== null && "getReader" in body) init.duplex = "half";
    }
    const res = await this.fetchImpl(`${this.base}${path}`, init);
    if (!res.ok) {
      const text = await res.text();
      let code = "http_error";
      let message = text.slice(0, 500) || res.statusText;
      let details: string[] = [];
      try {
        const parsed = JSON.parse(text) as { error?: { code?: string; message?: string; details?: string[] } };
        if (parsed.error) ({ code = code, message = message, details = [] } = parsed.error as never);
      } catch {
        // not JSON: keep the text
      }
      throw new ModelwardApiError(res.status, code, message, details);
    }
    return res;
  }
}

type RequestBody = NonNullable<RequestInit["body"]>;

const seg = (s: string) => encodeURIComponent(s);

function toBody(body: UploadBody): RequestBody {
  if (body instanceof Uint8Array || body instanceof ArrayBuffer || (typeof Blob !== "undefined" && body instanceof Blob)) return body as RequestBody;
  if (typeof (body as ReadableStream).getReader === "function") return body as ReadableStream<Uint8Array>;
  const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
