import { ModelwardClient } from "@modelward/client";

// The user's API key is the console's only secret. It lives in sessionStorage: gone when the
// tab closes, never in a cookie (so no request carries it unless the code adds it), never in a URL.
const STORAGE_KEY = "modelward.apiKey";

export function storedApiKey(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeApiKey(key: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Storage refused (private mode): the key stays in memory for this page only.
  }
}

export function forgetApiKey(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}

/** A client of the API this page was served by (same origin, so the CSP's `connect-src 'self'` holds). */
export const clientFor = (apiKey: string) => new ModelwardClient({ url: location.origin, apiKey, fetch: (input, init) => fetch(input, init) });
