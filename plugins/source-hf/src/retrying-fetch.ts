/** How transient failures are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First back-off; doubled each retry, with jitter. */
  baseDelayMs: number;
  /** Longest wait, `Retry-After` included: a server cannot park the scan. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 8000 };

/** Statuses worth another try: rate limiting and server-side trouble. */
const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);

/**
 * `fetch` with retries on 429/5xx and network errors, exponential back-off with
 * jitter, `Retry-After` honoured up to `maxDelayMs`, and the abort signal
 * honoured while waiting. Other statuses (401, 403, 404…) come back at once:
 * they are answers, not accidents. After the last attempt the last response
 * (or error) is returned to the caller, which turns it into an honest error.
 */
export function retryingFetch(policy: RetryPolicy = DEFAULT_RETRY, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const signal = init?.signal ?? undefined;
    for (let attempt = 1; ; attempt++) {
      let response: Response | undefined;
      try {
        response = await base(input, init);
      } catch (error) {
        if (signal?.aborted || attempt >= policy.attempts) throw error;
      }
      if (response && (!TRANSIENT.has(response.status) || attempt >= policy.attempts)) return response;
      const hinted = response ? retryAfterMs(response.headers.get("retry-after")) : undefined;
      // Drop the body of the failed answer so its connection is reused.
      await response?.body?.cancel().catch(() => undefined);
      const backoff = policy.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      await sleep(Math.min(policy.maxDelayMs, hinted ?? backoff), signal);
    }
  };
}

function retryAfterMs(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
