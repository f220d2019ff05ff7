/** The tenant-visible shape of a connection test result (`TestConnectionResult` or its JSON). */
interface VisibleResult<E> {
  readonly success: boolean;
  readonly error?: E;
  readonly steps: readonly { readonly name: string; readonly status: string; readonly detail: string }[];
}

/**
 * What a tenant sees of a connection test, without its timings: two answers that must not be told
 * apart (an open and a closed port on a refused address) compare equal through it.
 */
export function withoutTimings<E>(result: VisibleResult<E>) {
  return {
    success: result.success,
    error: result.error,
    steps: result.steps.map(({ name, status, detail }) => ({ name, status, detail })),
  };
}
