import { useEffect } from "preact/hooks";
import { ModelwardApiError } from "@modelward/client";

/** An error answer shown to the user: announced by screen readers (role=alert). */
export function Problem({ error, what }: { error: unknown; what: string }) {
  const message = error instanceof ModelwardApiError ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <p class="problem" role="alert">
      Could not {what}: {message}
    </p>
  );
}

/** Whether an error means the key is no longer accepted. */
export const isUnauthorized = (error: unknown) => error instanceof ModelwardApiError && error.status === 401;

/** Signs out when any of these errors is a 401 (the key was revoked while the page was open). */
export function useSignOutOn401(onUnauthorized: () => void, ...errors: unknown[]): void {
  const refused = errors.some(isUnauthorized);
  useEffect(() => {
    if (refused) onUnauthorized();
  }, [refused]);
}
