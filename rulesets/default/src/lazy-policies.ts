/**
 * A `policies` record whose values are built on first read and then kept: every read of a key
 * returns the same object (analyzers cache what they compile from a policy by its identity).
 * The keys are enumerable and `in` works without building anything.
 */
export function lazyPolicies(builders: Record<string, () => unknown>): Record<string, unknown> {
  const policies: Record<string, unknown> = {};
  for (const [namespace, build] of Object.entries(builders)) {
    Object.defineProperty(policies, namespace, {
      enumerable: true,
      configurable: true,
      get() {
        const value = build();
        Object.defineProperty(policies, namespace, { value, enumerable: true, configurable: true, writable: false });
        return value;
      },
    });
  }
  return policies;
}
