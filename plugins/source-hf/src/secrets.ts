import { ModelwardError, describeError } from "@modelward/core";
import { httpReason } from "./http-reason.js";

/**
 * Keeps the token out of every message: errors from the Hub client, from
 * fetch, or from a hostile server that echoes the Authorization header are
 * rethrown as ModelwardErrors whose text has the token replaced by `***`.
 */
export class Secrets {
  constructor(private readonly token: string | undefined) {}

  /** Removes the token from a text. */
  scrub(text: string): string {
    return this.token ? text.split(this.token).join("***") : text;
  }

  /** Runs `task`; a failure becomes `<context>: <honest reason>`, scrubbed. */
  async guard<T>(context: string, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      const reason = typeof status === "number" ? `${httpReason(status, "the Hub request")} (${describeError(error)})` : describeError(error);
      const code = ModelwardError.isInstance(error) ? error.code : status === 404 ? "MW_TARGET_NOT_FOUND" : "MW_SOURCE_FAILED";
      // The cause is dropped on purpose: it may carry the request, headers and token.
      throw new ModelwardError(code, this.scrub(`${context}: ${reason}`));
    }
  }
}
