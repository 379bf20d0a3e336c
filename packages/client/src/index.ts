export { ModelwardClient, type ModelwardClientOptions, type StartFileScanInput, type UploadBody } from "./client.js";
export { FileScanJob, type GetStatusOptions } from "./file-scan-job.js";
export { ModelwardApiError } from "./api-error.js";
export type * from "./types.js";
