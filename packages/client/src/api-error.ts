/** An error answer of the service: its HTTP status and `{ error: { code, message, details } }`. */
export class ModelwardApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string[] = [],
  ) {
    super(`${status} ${code}: ${message}${details.length ? ` (${details.join("; ")})` : ""}`);
    this.name = "ModelwardApiError";
  }
}
